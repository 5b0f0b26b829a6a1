"""A recording's sound without its tags, as a photo is carried without its EXIF.

Phones and editors write a child's or a parent's name, an address, a GPS position, dates and
a cover picture into a recording: ID3, APE and Lyrics3 tags in an MP3, LIST/INFO, `id3 `,
`bext` and `iXML` chunks in a WAV, comment packets in an OGG, `udta`, `meta` and XMP `uuid`
atoms in an M4A. `sound_only` keeps what a player needs and nothing else: an MP3's frames, a
WAV's `fmt `, `fact` and `data`, an OGG with an empty comment header, an M4A with its tag atoms
blanked in place (so its chunk offsets stay right). ValueError for a file that is not well
formed: it is refused, never carried as it is.
"""

from __future__ import annotations

import struct
import zlib


def sound_only(content: bytes, mime: str) -> bytes:
    """content (an MP3, WAV, OGG or M4A file, by its mime type) with every metadata block removed."""
    strip = {"audio/mpeg": _mp3, "audio/wav": _wav, "audio/ogg": _ogg, "audio/mp4": _mp4}[mime]
    try:
        return strip(content)
    except (struct.error, IndexError):
        raise ValueError("it ends early") from None


# MP3: the MPEG frames, found by walking them; tags and anything else between frames is left out.

_BITRATES = {  # kbit/s by (MPEG-1?, layer), index 1 to 14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def frame_length(header: bytes) -> int:
    """The length of the MPEG audio frame whose 4-byte header this is, or 0 if it is none (a
    free-format frame, whose length is not in its header, is none either)."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return 0
    version, layer = (header[1] >> 3) & 3, 4 - ((header[1] >> 1) & 3)
    bitrate, rate, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer == 4 or bitrate in (0, 15) or rate == 3:
        return 0
    mpeg1 = version == 3
    bits = _BITRATES[(mpeg1, min(layer, 2) if not mpeg1 else layer)][bitrate - 1] * 1000
    hz = _RATES[version][rate]
    if layer == 1:
        return (12 * bits // hz + padding) * 4
    return (144 if mpeg1 or layer == 2 else 72) * bits // hz + padding


def _mp3(content: bytes) -> bytes:
    frames, at, end, synced = [], _after_id3v2(content), _before_end_tags(content), False
    while at < end:
        length = frame_length(content[at : at + 4])
        fits = length and at + length <= end
        # Out of step (at the start, after junk), a frame counts only when another follows it:
        # a tag's picture is full of bytes that look like the start of one frame.
        if fits and (synced or at + length == end or frame_length(content[at + length : at + length + 4])):
            frames.append(content[at : at + length])
            at, synced = at + length, True
        else:
            found = content.find(b"\xff", at + 1, end)
            at, synced = (found if found >= 0 else end), False
    if not frames:
        raise ValueError("it holds no MPEG audio frames")
    return b"".join(frames)


def _after_id3v2(content: bytes) -> int:
    """Where the first ID3v2 tags (there may be several) end."""
    at = 0
    while content[at : at + 3] == b"ID3":
        size = _syncsafe(content[at + 6 : at + 10])
        at += 10 + size + (10 if content[at + 5] & 0x10 else 0)  # a footer
    return at


def _before_end_tags(content: bytes) -> int:
    """Where the tags at the end (ID3v1 and its TAG+, APEv2, Lyrics3, an appended ID3v2) begin."""
    end, before = len(content), -1

    def last(count: int, length: int = 0) -> bytes:  # length bytes (all) of the count before end
        return content[end - count : end - count + (length or count)] if end >= count else b""

    while end != before:
        before = end
        if last(128, 3) == b"TAG":
            end -= 128
        if last(227, 4) == b"TAG+":
            end -= 227
        if last(32, 8) == b"APETAGEX":
            (size,), (flags,) = struct.unpack("<I", last(20, 4)), struct.unpack("<I", last(12, 4))
            end -= size + (32 if flags & 0x80000000 else 0)
        if last(9) == b"LYRICS200" and last(15, 6).isdigit():
            end -= int(last(15, 6)) + 15
        elif last(9) == b"LYRICSEND":
            start = content.rfind(b"LYRICSBEGIN", max(0, end - 5100), end)
            end = start if start >= 0 else end
        if last(10, 3) == b"3DI":
            end -= _syncsafe(last(4)) + 20
        if end < 0:
            raise ValueError("its tags are larger than the file")
    return end


def _syncsafe(four: bytes) -> int:
    if len(four) != 4 or any(byte & 0x80 for byte in four):
        raise ValueError("its ID3 tag is damaged")
    return four[0] << 21 | four[1] << 14 | four[2] << 7 | four[3]


# WAV: the chunks a player needs, in their order.

WAV_CHUNKS = (b"fmt ", b"fact", b"data")


def _wav(content: bytes) -> bytes:
    if content[:4] != b"RIFF" or content[8:12] != b"WAVE":
        raise ValueError("it is not a RIFF WAVE file")
    kept, at, end = [], 12, min(len(content), 8 + struct.unpack("<I", content[4:8])[0])
    while at + 8 <= end:
        name, size = content[at : at + 4], struct.unpack("<I", content[at + 4 : at + 8])[0]
        if at + 8 + size > len(content):
            raise ValueError(f"its {name.decode('latin-1').strip()!r} chunk ends past the end of the file")
        if name in WAV_CHUNKS:
            kept.append(content[at : at + 8 + size] + b"\0" * (size % 2))
        at += 8 + size + size % 2
    if [c[:4] for c in kept if c[:4] != b"fact"][:2] != [b"fmt ", b"data"]:
        raise ValueError("it has no 'fmt ' chunk before its 'data'")
    body = b"WAVE" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body)) + body


# OGG (Vorbis, Opus): the comment header replaced by an empty one, the header pages paginated
# again, every page numbered again with its checksum.

EMPTY_COMMENTS = {b"\x01vorbis": b"\x03vorbis" + bytes(8) + b"\x01", b"OpusHead": b"OpusTags" + bytes(8)}
HEADER_PACKETS = {b"\x01vorbis": 3, b"OpusHead": 2}  # identification, comments (and Vorbis's setup)
_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, no initial or final XOR), computed by
    zlib's reflected CRC on the bytes with their bits reversed: as fast as zlib, not a Python loop."""
    reflected = zlib.crc32(page.translate(_REVERSED)) ^ zlib.crc32(bytes(len(page)))  # without zlib's 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)


def _ogg(content: bytes) -> bytes:
    pages = list(_pages(content))
    serial = pages[0][2]
    if not pages[0][0] & 2 or any(page[2] != serial for page in pages):
        raise ValueError("it holds more than one stream; export it again as one recording")
    packets, first_sound = _header_packets(pages)
    codec = next((c for c in EMPTY_COMMENTS if packets[0].startswith(c)), None)
    if codec is None:
        raise ValueError("it is not Vorbis or Opus sound")
    packets[1] = EMPTY_COMMENTS[codec]
    headers = [(2, 0, _lacing(packets[0]), packets[0]), *_paginate(packets[1:])]  # the first page: the id alone
    out = [_page(number, serial, *page) for number, page in enumerate(headers)]
    for number, (flags, granule, _, segments, body) in enumerate(pages[first_sound:], start=len(out)):
        out.append(_page(number, serial, flags, granule, segments, body))
    return b"".join(out)


def _pages(content: bytes):
    """(flags, granule, serial, lacing values, body) of each page, its checksum checked."""
    at = 0
    while at < len(content):
        if content[at : at + 5] != b"OggS\0":
            raise ValueError("a page does not start where the one before ends")
        flags, granule, serial, _, crc, count = struct.unpack("<BqIIIB", content[at + 5 : at + 27])
        segments = content[at + 27 : at + 27 + count]
        end = at + 27 + count + sum(segments)
        if len(segments) != count or end > len(content):
            raise ValueError("it ends in the middle of a page")
        page = content[at:end]
        if ogg_crc(page[:22] + bytes(4) + page[26:]) != crc:
            raise ValueError("a page's checksum is wrong")
        yield flags, granule, serial, bytes(segments), page[27 + count :]
        at = end


def _header_packets(pages: list) -> tuple[list[bytes], int]:
    """The header packets, and the index of the first page after them (the headers end a page)."""
    packets, current = [], b""
    for index, (_, _, _, segments, body) in enumerate(pages):
        at = 0
        for lacing in segments:
            current += body[at : at + lacing]
            at += lacing
            if lacing < 255:
                packets.append(current)
                current = b""
        wanted = next((n for c, n in HEADER_PACKETS.items() if packets and packets[0].startswith(c)), 2)
        if len(packets) >= wanted:
            if len(packets) > wanted or current:
                raise ValueError("its headers do not end a page")
            return packets, index + 1
    raise ValueError("it ends inside its headers")


def _lacing(packet: bytes) -> bytes:
    return bytes([255] * (len(packet) // 255) + [len(packet) % 255])


def _paginate(packets: list[bytes]) -> list[tuple[int, int, bytes, bytes]]:
    """(flags, granule, lacing, body) of the pages carrying packets, at most 255 lacing values a
    page; a page where no packet ends has granule -1, one going on with a packet flag 1."""
    lacing, data, pages, at, start = b"".join(map(_lacing, packets)), b"".join(packets), [], 0, 0
    ends, count = set(), 0  # the lacing index after each packet
    for packet in packets:
        count += len(packet) // 255 + 1
        ends.add(count)
    while start < len(lacing):
        stop = min(start + 255, len(lacing))
        size = sum(lacing[start:stop])
        granule = 0 if any(start < end <= stop for end in ends) else -1
        pages.append((0 if start == 0 or start in ends else 1, granule, lacing[start:stop], data[at : at + size]))
        at, start = at + size, stop
    return pages


def _page(number: int, serial: int, flags: int, granule: int, lacing: bytes, body: bytes) -> bytes:
    """An Ogg page, its checksum computed."""
    head = b"OggS\0" + struct.pack("<BqIIIB", flags, granule, serial, number, 0, len(lacing)) + lacing
    return head[:22] + struct.pack("<I", ogg_crc(head + body)) + head[26:] + body


# M4A: every tag atom overwritten in place by a `free` atom of the same size, holding zeros.

MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf"}
MP4_TAGS = {b"udta", b"meta", b"uuid", b"free", b"skip", b"wide"}  # free space may hold old tags too


def _mp4(content: bytes) -> bytes:
    out = bytearray(content)
    top = _atoms(out, 0, len(out))
    if not any(name == b"moov" for name, _, _ in top):
        raise ValueError("it has no 'moov' atom (the recording's description)")
    return bytes(out)


def _atoms(out: bytearray, at: int, end: int) -> list[tuple[bytes, int, int]]:
    """The atoms between at and end, (name, start, end) each, tag atoms blanked, containers walked."""
    found = []
    while at < end:
        if at + 8 > end:
            raise ValueError("an atom is cut off")
        size, name = struct.unpack(">I4s", out[at : at + 8])
        header = 16 if size == 1 else 8
        size = struct.unpack(">Q", out[at + 8 : at + 16])[0] if size == 1 else end - at if size == 0 else size
        if size < header or at + size > end:
            raise ValueError(f"its {name.decode('latin-1')!r} atom's size does not fit")
        if name in MP4_TAGS:
            out[at + 4 : at + 8] = b"free"
            out[at + header : at + size] = bytes(size - header)
        elif name in MP4_CONTAINERS:
            _atoms(out, at + header, at + size)
        found.append((name, at, at + size))
        at += size
    return found
