#!/usr/bin/env python3
"""Whether an executable is static: an ELF file whose program headers name no program
interpreter (PT_INTERP, the dynamic loader every dynamically linked executable asks the
kernel for). A static-pie executable (glibc with `-C target-feature=+crt-static`) has a
dynamic section for its own relocations but no interpreter, and counts as static.

  python3 scripts/elf-static.py FILE

Exit 0: static; 1: dynamically linked (names its interpreter); 2: not a readable ELF file.
Used by scripts/release.sh, which must never ship a dynamic binary as a static one.
"""
import struct
import sys

PT_INTERP = 3


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: elf-static.py FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"elf-static.py: cannot read {path}: {e.strerror}", file=sys.stderr)
        return 2
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] not in (1, 2):
        print(f"elf-static.py: {path} is not an ELF file", file=sys.stderr)
        return 2
    wide = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if wide:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
    if phnum == 0 or phentsize < 4 or phoff + phnum * phentsize > len(data):
        print(f"elf-static.py: {path} has no program headers to read", file=sys.stderr)
        return 2
    for i in range(phnum):
        p_type, = struct.unpack_from(end + "I", data, phoff + i * phentsize)
        if p_type == PT_INTERP:
            print(f"{path}: dynamically linked (it names a program interpreter)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
