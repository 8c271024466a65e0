from typing import BinaryIO, TextIO

USAGE = "usage: uniqlines [-c] [-i] [--] [FILE...]"


def _key(line: bytes, ignore_case: bool) -> bytes | str:
    # A CRLF line and an LF line with the same text are the same line.
    body = line[:-1] if line.endswith(b"\r") else line
    if not ignore_case:
        return body
    try:
        return body.decode("utf-8").casefold()
    except UnicodeDecodeError:
        return body


def _lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the newline ending the last line does not start another
    return lines


def main(argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO) -> int:
    count = ignore_case = False
    operands: list[str] = []
    options_done = False
    for arg in argv:
        if options_done or arg == "-" or not arg.startswith("-"):
            operands.append(arg)
        elif arg == "--":
            options_done = True
        else:
            for flag in arg[1:]:
                if flag == "c":
                    count = True
                elif flag == "i":
                    ignore_case = True
                else:
                    print(f"uniqlines: unknown option -{flag}\n{USAGE}", file=stderr)
                    return 2
    status = 0
    first: dict[bytes | str, bytes] = {}
    counts: dict[bytes | str, int] = {}
    for name in operands or ["-"]:
        if name == "-":
            data = stdin.read()
        else:
            try:
                with open(name, "rb") as f:
                    data = f.read()
            except OSError as err:
                print(f"uniqlines: {name}: {err.strerror}", file=stderr)
                status = 1
                continue
        for line in _lines(data):
            key = _key(line, ignore_case)
            first.setdefault(key, line)
            counts[key] = counts.get(key, 0) + 1
    for key, line in first.items():
        prefix = f"{counts[key]:7d} ".encode() if count else b""
        stdout.write(prefix + line + b"\n")
    return status
