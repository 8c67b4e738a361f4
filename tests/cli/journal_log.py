"""The records of a sweep's journal log (OUT.journal/blocks.log, laid out in
include/tillit/journal.h), for tests that wait for blocks or damage them."""
import struct
import zlib
from pathlib import Path

LOG_HEAD = 16
REC = struct.Struct("<IIiiiiiIQQIIII")


def log_path(out):
    return Path(str(out) + ".journal") / "blocks.log"


def records(out):
    """(offset, length, block) of each whole record, in order."""
    try:
        raw = log_path(out).read_bytes()
    except FileNotFoundError:
        return []
    found, at = [], LOG_HEAD
    while at + REC.size <= len(raw):
        f = REC.unpack_from(raw, at)
        if f[0] != 0x424A4C54 or zlib.crc32(raw[at:at + 56]) != f[12]:
            break
        nrep, steps, nm, snap_floats, err_bytes = f[4], f[5], f[6], f[7], f[8]
        n = REC.size + nrep * steps * nm * 8 + nrep + err_bytes + nrep * snap_floats * 4
        if at + n > len(raw):
            break
        found.append((at, n, f[1]))
        at += n
    return found


def record_bytes(out, k):
    at, n, _ = records(out)[k]
    return log_path(out).read_bytes()[at:at + n]


def moved(rec, block, point):
    """A record's bytes claiming another block and point (its head's CRC redone)."""
    f = list(REC.unpack_from(rec))
    f[1], f[2] = block, point
    head = REC.pack(*f)
    f[12] = zlib.crc32(head[:56])
    return REC.pack(*f) + rec[REC.size:]
