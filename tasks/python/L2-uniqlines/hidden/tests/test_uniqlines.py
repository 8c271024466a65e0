import io

from uniqlines.cli import main


def run(argv, stdin=b""):
    out, err = io.BytesIO(), io.StringIO()
    code = main(argv, io.BytesIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_unique_lines_in_first_seen_order():
    assert run([], b"b\na\nb\nc\na\n") == (0, b"b\na\nc\n", "")


def test_a_last_line_without_newline_is_still_a_line():
    assert run([], b"x\ny\nx") == (0, b"x\ny\n", "")
    assert run([], b"only") == (0, b"only\n", "")


def test_empty_lines_are_lines_too():
    assert run([], b"\n\na\n\n") == (0, b"\na\n", "")


def test_counts_are_right_aligned_in_seven_columns():
    code, out, _ = run(["-c"], b"a\nb\na\n" + b"z\n" * 1000)
    assert code == 0
    assert out == b"      2 a\n      1 b\n   1000 z\n"


def test_ignore_case_keeps_the_first_spelling():
    assert run(["-i"], b"Hello\nHELLO\nhello\nWorld\n") == (0, b"Hello\nWorld\n", "")


def test_ignore_case_folds_case_fully():
    assert run(["-i"], "Stra\u00dfe\nSTRASSE\n".encode()) == (0, "Stra\u00dfe\n".encode(), "")


def test_bytes_that_are_not_utf8_pass_through_unchanged():
    data = b"caf\xe9\n\xff\xfe\ncaf\xe9\n"
    assert run([], data) == (0, b"caf\xe9\n\xff\xfe\n", "")
    assert run(["-i"], data) == (0, b"caf\xe9\n\xff\xfe\n", "")


def test_crlf_and_lf_endings_are_the_same_line():
    assert run([], b"a\r\nb\na\n") == (0, b"a\r\nb\n", "")


def test_empty_input_prints_nothing_and_succeeds():
    assert run([]) == (0, b"", "")
    assert run(["-c"]) == (0, b"", "")


def test_stdin_is_read_without_operands_and_for_a_dash(tmp_path):
    f = tmp_path / "f.txt"
    f.write_bytes(b"file\n")
    assert run(["-"], b"in\n") == (0, b"in\n", "")
    assert run([str(f), "-"], b"in\nfile\n") == (0, b"file\nin\n", "")


def test_lines_are_deduplicated_across_files(tmp_path):
    (tmp_path / "a").write_bytes(b"1\n2\n")
    (tmp_path / "b").write_bytes(b"2\n3")
    code, out, _ = run(["-c", str(tmp_path / "a"), str(tmp_path / "b")])
    assert (code, out) == (0, b"      1 1\n      2 2\n      1 3\n")


def test_a_missing_file_is_reported_and_the_rest_still_processed(tmp_path):
    (tmp_path / "ok").write_bytes(b"fine\n")
    missing = str(tmp_path / "nope")
    code, out, err = run([missing, str(tmp_path / "ok")])
    assert code == 1
    assert out == b"fine\n"
    assert err == f"uniqlines: {missing}: No such file or directory\n"


def test_a_directory_operand_is_an_error(tmp_path):
    code, out, err = run([str(tmp_path)])
    assert (code, out) == (1, b"")
    assert err == f"uniqlines: {tmp_path}: Is a directory\n"


def test_an_unknown_option_is_a_usage_error():
    code, out, err = run(["-x"], b"a\n")
    assert (code, out) == (2, b"")
    assert err.startswith("uniqlines: unknown option -x\n")
    assert "usage: uniqlines" in err


def test_double_dash_ends_the_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-c").write_bytes(b"dash\ndash\n")
    assert run(["--", "-c"]) == (0, b"dash\n", "")


def test_options_can_be_bundled_and_come_after_operands(tmp_path):
    (tmp_path / "f").write_bytes(b"A\na\n")
    assert run(["-ci", str(tmp_path / "f")])[1] == b"      2 A\n"
    assert run([str(tmp_path / "f"), "-i"])[1] == b"A\n"
