import sys

from uniqlines.cli import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:], sys.stdin.buffer, sys.stdout.buffer, sys.stderr))
