"""Checks that a PNG screenshot is not blank. Standard library only (zlib PNG decoder).
Usage: check_png.py FILE.png [MIN_FRACTION]   (run by scripts/check_report.sh)

Fails when the image is a single colour or when fewer than MIN_FRACTION (default 0.003, i.e.
0.3 %) of its pixels differ from its background (its most common colour)."""

import struct
import sys
import zlib
from collections import Counter


def decode(path):
    """Returns (width, height, bytes per pixel, list of unfiltered rows)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if ihdr is None or not idat:
        raise ValueError("PNG without IHDR or IDAT")
    width, height, depth, ctype, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        raise ValueError("unsupported PNG (bit depth %d, colour type %d, interlace %d)"
                         % (depth, ctype, interlace))
    bpp = channels
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        off = y * (stride + 1)
        ftype = raw[off]
        line = bytearray(raw[off + 1:off + 1 + stride])
        if ftype == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif ftype == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif ftype != 0:
            raise ValueError("bad PNG filter type %d in row %d" % (ftype, y))
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    path = sys.argv[1]
    min_fraction = float(sys.argv[2]) if len(sys.argv) > 2 else 0.003
    try:
        width, height, bpp, rows = decode(path)
    except (OSError, ValueError, zlib.error) as e:
        sys.exit("check-report: FAILED: %s: %s" % (path, e))
    colours = Counter()
    for row in rows:
        colours.update(row[i:i + 3] for i in range(0, len(row), bpp))
    total = width * height
    background, bg_count = colours.most_common(1)[0]
    other = total - bg_count
    fraction = other / total
    summary = ("%s: %dx%d, %d colours, %.1f %% of pixels differ from the background #%s"
               % (path, width, height, len(colours), 100 * fraction, background.hex()))
    print("check-report: " + summary)
    if len(colours) < 2:
        sys.exit("check-report: FAILED: the screenshot is blank (a single colour)")
    if fraction < min_fraction:
        sys.exit("check-report: FAILED: the screenshot is nearly blank (%.2f %% of pixels "
                 "differ from the background, need %.2f %%)" % (100 * fraction,
                                                                100 * min_fraction))


if __name__ == "__main__":
    main()
