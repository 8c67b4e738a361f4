"""The records of a sweep's journal log (OUT.journal/blocks.log, laid out in
include/tillit/journal.h), for tests that wait for blocks or damage them."""
import struct
import zlib
from pathlib import Path

LOG_HEAD = 16
# magic, block, point, r0, nrep, steps, nmetrics, snap_floats, err_bytes,
# scenario_hash, kept_steps, step_first, step_every, step_end, metric_mask (2),
# value_bytes, payload_crc, head_crc, pad
REC = struct.Struct("<IIiiiiiIQQiiiiQQIIII")
HEAD_CRC = 18  # the field index of head_crc; it covers the bytes before it
HEAD_CRC_AT = 88


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
        if f[0] != 0x424A4C54 or zlib.crc32(raw[at:at + HEAD_CRC_AT]) != f[HEAD_CRC]:
            break
        nrep, nm, snap_floats, err_bytes, kept, vbytes = f[4], f[6], f[7], f[8], f[10], f[16]
        n = REC.size + nrep * kept * nm * vbytes + nrep + err_bytes + nrep * snap_floats * 4
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
    f[HEAD_CRC] = zlib.crc32(head[:HEAD_CRC_AT])
    return REC.pack(*f) + rec[REC.size:]
