"""The search index's storage: written once while streaming, then read in place.

One file holds everything a search needs, so a second start opens it in well
under a second instead of re-reading the documents:

* the passages' texts (UTF-8, concatenated) and their offsets,
* per passage: its document number and first/last 1-based lines,
* the vocabulary (folded words, sorted, so a prefix is a contiguous range),
* the inverted index: for each word, the sorted numbers of the passages holding
  it, as 32-bit unsigned integers, with 64-bit offsets per word.

Layout: a 32-byte header (magic, format version, offset and length of a JSON
trailer), the sections (8-byte aligned), then the JSON trailer describing the
sections, the documents and a CRC-32 of every section but the texts.  Numbers
are native-endian; the trailer records the byte order and a mismatch means
"rebuild".  Any inconsistency raises ``CacheError`` and the caller rebuilds.
The file is written to a temporary name in the same folder, fsynced and renamed
over the old one (the same guarantee as ``core.storage``), streaming, so
building never holds the texts in memory.  Reading it (``IndexData``) loads the
postings, vocabulary and per-passage arrays and reads the texts by position
when a query needs them: a search process holds the index, not the library.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import sys
import tempfile
import zlib
from array import array
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tuireader.core.sanitize import strip_control
from tuireader.core.search.grouping import new_inverter
from tuireader.core.search.inverter import Inverter

if TYPE_CHECKING:
    from tuireader.core.search.parallel import Chunk

MAGIC = b"TRSIDX\r\n"
FORMAT_VERSION = 4
"""4: CJK runs indexed as character pairs, й kept, documents' author and language."""
_HEADER = struct.Struct("<8sIIQQ")
_ALIGN = 8
_ARRAY_SECTIONS = (
    "text_offsets",
    "passage_doc",
    "first_line",
    "last_line",
    "post_offsets",
    "postings",
)
_READ_PIECE = 1 << 24
"""Bytes read at a time when a section is loaded."""


class CacheError(Exception):
    """A cache file that cannot be used (missing, old format, corrupt); rebuild it."""


@dataclass(frozen=True, slots=True)
class DocEntry:
    """A document as recorded in the index."""

    path: str
    """Absolute path of the file."""
    title: str
    """The document's title."""
    size: int
    """File size in bytes when indexed."""
    mtime_ns: int
    """Modification time (nanoseconds) when indexed."""
    first: int
    """Number of the document's first passage."""
    end: int
    """One past the number of its last passage."""
    author: str = ""
    """The document's author, when its metadata names one."""
    language: str = ""
    """ISO 639-1 code of its language (metadata, else guessed), or empty when unknown."""

    def to_json(self) -> list[Any]:
        """Compact JSON form for the trailer."""
        return [
            self.path,
            self.title,
            self.size,
            self.mtime_ns,
            self.first,
            self.end,
            self.author,
            self.language,
        ]

    @classmethod
    def from_json(cls, data: Any) -> DocEntry:
        """Inverse of ``to_json``; raises ``CacheError`` on malformed data."""
        try:
            path, title, size, mtime_ns, first, end, author, language = data
            return cls(
                str(path),
                strip_control(str(title)),
                int(size),
                int(mtime_ns),
                int(first),
                int(end),
                strip_control(str(author)),
                strip_control(str(language)),
            )
        except (TypeError, ValueError) as error:
            raise CacheError(f"bad document entry: {error}") from None


class IndexWriter:
    """Stream passages into a new index file; ``finish`` makes it visible atomically."""

    def __init__(self, target: Path) -> None:
        """Start writing the index that will replace ``target``."""
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
        )
        self._tmp = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "w+b")
        self._file.write(b"\0" * _HEADER.size)
        self._text_start = _HEADER.size
        self._text_size = 0
        self.text_offsets = array("Q", [0])
        self.passage_doc = array("I")
        self.first_line = array("I")
        self.last_line = array("I")
        self.documents: list[DocEntry] = []
        self._inverter = new_inverter()

    @property
    def passages(self) -> int:
        """Passages written so far."""
        return len(self.passage_doc)

    def add_passage(self, document: int, first: int, last: int, text: str) -> None:
        """Append one passage of document number ``document``."""
        data = text.encode("utf-8", "surrogatepass")
        self._file.write(data)
        self._text_size += len(data)
        self.text_offsets.append(self._text_size)
        self.passage_doc.append(document)
        self.first_line.append(first)
        self.last_line.append(last)
        self._inverter.add(text, data)

    def add_document(self, entry: DocEntry) -> None:
        """Record a document whose passages were just added."""
        self.documents.append(entry)

    def add_chunk(self, chunk: Chunk, documents: list[DocEntry]) -> None:
        """Append a chunk read by a worker (``parallel.py``) and its documents' entries.

        The same file results as adding the chunk's passages one by one: passage
        numbers are the chunk's shifted by the passages already written, and each
        word's postings stay in increasing order.
        """
        self._file.write(chunk.blob)
        self.text_offsets.extend(map(self._text_size.__add__, chunk.ends))
        self._text_size += len(chunk.blob)
        for entry in documents:
            self.passage_doc.extend([len(self.documents)] * (entry.end - entry.first))
            self.documents.append(entry)
        self.first_line.extend(chunk.first_line)
        self.last_line.extend(chunk.last_line)
        words = chunk.words.split("\n") if chunk.words else []
        self._inverter.merge(len(chunk.ends), words, chunk.word_ends, chunk.postings)

    def abort(self) -> None:
        """Drop the unfinished file."""
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(OSError):
            self._tmp.unlink()

    def _pad(self) -> None:
        """Align the file position to ``_ALIGN`` bytes."""
        position = self._file.tell()
        if position % _ALIGN:
            self._file.write(b"\0" * (_ALIGN - position % _ALIGN))

    def finish(self, *, keep: bool = True) -> Path:
        """Write the index sections and trailer, then rename the file into place.

        With ``keep`` false the file is not renamed; its temporary path is returned
        (the caller maps it and unlinks it).
        """
        try:
            sections: dict[str, list[int]] = {"texts": [self._text_start, self._text_size]}
            checksums: dict[str, int] = {}
            words = self._inverter.words
            order = sorted(range(len(words)), key=words.__getitem__)
            self._write_tables(order, sections, checksums)
            self._write_postings(order, sections, checksums)
            self._write_trailer(len(order), sections, checksums)
            self._file.flush()
            if keep:
                os.fsync(self._file.fileno())
            self._file.close()
            if not keep:
                return self._tmp
            os.replace(self._tmp, self.target)
            return self.target
        except BaseException:
            self.abort()
            raise

    def _write_section(
        self,
        name: str,
        data: bytes | memoryview,
        sections: dict[str, list[int]],
        checksums: dict[str, int],
    ) -> None:
        """Write one aligned section, recording its place and checksum."""
        self._pad()
        sections[name] = [self._file.tell(), len(data)]
        checksums[name] = zlib.crc32(data)
        self._file.write(data)

    def _write_tables(
        self, order: list[int], sections: dict[str, list[int]], checksums: dict[str, int]
    ) -> None:
        """Write the per-passage arrays, the sorted vocabulary and the postings offsets."""
        for name in ("text_offsets", "passage_doc", "first_line", "last_line"):
            data = memoryview(getattr(self, name)).cast("B")
            self._write_section(name, data, sections, checksums)
        words = self._inverter.words
        vocab = "\n".join([words[i] for i in order]).encode("utf-8")
        self._write_section("vocab", vocab, sections, checksums)
        post_offsets = array("Q", [0])
        post_offsets.extend(accumulate(self._inverter.sizes(order)))
        data = memoryview(post_offsets).cast("B")
        self._write_section("post_offsets", data, sections, checksums)

    def _write_postings(
        self, order: list[int], sections: dict[str, list[int]], checksums: dict[str, int]
    ) -> None:
        """Write every word's postings in vocabulary order (streamed, one CRC)."""
        self._pad()
        start = self._file.tell()
        crc = 0
        total = 0
        for pending in self._inverter.pieces(order):
            crc = zlib.crc32(pending, crc)
            total += len(pending)
            self._file.write(pending)
        sections["postings"] = [start, total]
        checksums["postings"] = crc
        self._inverter = Inverter()

    def _write_trailer(
        self, words: int, sections: dict[str, list[int]], checksums: dict[str, int]
    ) -> None:
        """Write the JSON trailer and the header pointing at it."""
        trailer = json.dumps(
            {
                "version": FORMAT_VERSION,
                "byteorder": sys.byteorder,
                "passages": len(self.passage_doc),
                "words": words,
                "sections": sections,
                "crc": checksums,
                "documents": [entry.to_json() for entry in self.documents],
            },
            ensure_ascii=True,  # ASCII escapes keep names that are not UTF-8 exact
        ).encode("ascii")
        trailer_start = self._file.tell()
        self._file.write(trailer)
        self._file.seek(0)
        self._file.write(_HEADER.pack(MAGIC, FORMAT_VERSION, 0, trailer_start, len(trailer)))


class IndexData:
    """An open index file: the arrays and vocabulary the search engine reads.

    The postings, the vocabulary and the per-passage arrays are read into memory
    once (their checksums need every byte read anyway, and a query then never
    waits on the disk for them); the passages' texts, most of the file, stay on
    disk and are read by position when a query scores or shows them.
    """

    def __init__(self, path: Path, *, unlink: bool = False) -> None:
        """Open and validate the index file at ``path``; raises ``CacheError``."""
        try:
            self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as error:
            raise CacheError(str(error)) from None
        try:
            size = os.fstat(self._fd).st_size
            if size < _HEADER.size:
                raise CacheError("truncated file")
            self._load(size)
        except CacheError:
            self.close()
            raise
        except OSError as error:
            self.close()
            raise CacheError(str(error)) from None
        except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError) as error:
            self.close()
            raise CacheError(f"corrupt index: {error}") from None
        finally:
            if unlink:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def _load(self, size: int) -> None:
        """Parse the header and trailer, check the sections and set up their views."""
        header = os.pread(self._fd, _HEADER.size, 0)
        magic, version, _, trailer_start, trailer_size = _HEADER.unpack(header)
        if magic != MAGIC:
            raise CacheError("not an index file")
        if version != FORMAT_VERSION:
            raise CacheError(f"index format {version}, expected {FORMAT_VERSION}")
        if trailer_start + trailer_size > size:
            raise CacheError("truncated file")
        meta = json.loads(os.pread(self._fd, trailer_size, trailer_start))
        if meta.get("version") != FORMAT_VERSION or meta.get("byteorder") != sys.byteorder:
            raise CacheError("index written by another format or machine")
        sections = meta["sections"]
        checksums = meta["crc"]

        def place(name: str) -> tuple[int, int]:
            start, length = (int(value) for value in sections[name])
            if start < 0 or length < 0 or start + length > trailer_start:
                raise CacheError(f"section {name} out of bounds")
            return start, length

        def read(name: str) -> bytes:
            data = _read_section(self._fd, *place(name))
            if zlib.crc32(data) != int(checksums[name]):
                raise CacheError(f"section {name} is corrupt")
            return data

        self._texts_start, self._texts_size = place("texts")
        self.text_offsets = memoryview(read("text_offsets")).cast("Q")
        self.passage_doc = memoryview(read("passage_doc")).cast("I")
        self.first_line = memoryview(read("first_line")).cast("I")
        self.last_line = memoryview(read("last_line")).cast("I")
        self.post_offsets = memoryview(read("post_offsets")).cast("Q")
        self.postings = memoryview(read("postings")).cast("I")
        vocab = read("vocab").decode("utf-8")
        self.words: list[str] = vocab.split("\n") if vocab else []
        self.passages = int(meta["passages"])
        self.documents = [DocEntry.from_json(item) for item in meta["documents"]]
        self._check(int(meta["words"]))

    def _check(self, words: int) -> None:
        """Raise ``CacheError`` unless the sections and documents agree with each other."""
        n = self.passages
        if not (
            len(self.text_offsets) == n + 1
            and len(self.passage_doc) == n
            and len(self.first_line) == n
            and len(self.last_line) == n
            and len(self.post_offsets) == len(self.words) + 1
            and words == len(self.words)
            and (n == 0 or self.text_offsets[n] == self._texts_size)
            and self.post_offsets[len(self.words)] == len(self.postings)
        ):
            raise CacheError("inconsistent index")
        for entry in self.documents:
            if not 0 <= entry.first <= entry.end <= n:
                raise CacheError("inconsistent document table")

    def text(self, passage: int) -> str:
        """The text of passage number ``passage``, read from the file."""
        start = self.text_offsets[passage]
        end = self.text_offsets[passage + 1]
        data = os.pread(self._fd, max(0, end - start), self._texts_start + start)
        # Sanitised again: a damaged cache must not be able to steer the terminal.
        return strip_control(str(data, "utf-8", "replace"))

    def close(self) -> None:
        """Release the file and the arrays (views must no longer be used)."""
        for name in _ARRAY_SECTIONS:
            item = self.__dict__.pop(name, None)
            if item is not None:
                with contextlib.suppress(BufferError, ValueError):
                    item.release()
        fd = self.__dict__.pop("_fd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)


def _read_section(fd: int, start: int, length: int) -> bytes:
    """The ``length`` bytes at ``start`` of the open file ``fd`` (one read when it can)."""
    data = os.pread(fd, length, start)
    if len(data) == length:
        return data
    pieces = [data]
    done = len(data)
    while done < length:  # a very large section, or a file cut short
        piece = os.pread(fd, min(length - done, _READ_PIECE), start + done)
        if not piece:
            raise CacheError("truncated file")
        pieces.append(piece)
        done += len(piece)
    return b"".join(pieces)
