from typing import BinaryIO, TextIO


def main(argv: list[str], stdin: BinaryIO, stdout: BinaryIO, stderr: TextIO) -> int:
    raise NotImplementedError
