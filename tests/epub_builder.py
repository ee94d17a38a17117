"""Build small EPUB books (and broken ones) for the tests, byte by byte with zipfile."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

XHTML = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<head><title>{title}</title><style>p {{ color: red; }}</style></head>
<body>
{body}
</body>
</html>
"""


@dataclass
class ChapterSpec:
    """One chapter of a test book."""

    name: str
    """File name inside the content folder (may be non-ASCII)."""
    title: str
    body: str
    """XHTML body content."""


def chapter(name: str, title: str, *paragraphs: str) -> ChapterSpec:
    """A chapter with an ``<h1>`` title and paragraphs."""
    body = f'<h1 id="top">{escape(title)}</h1>\n' + "\n".join(
        f"<p>{escape(text)}</p>" for text in paragraphs
    )
    return ChapterSpec(name, title, body)


def book_members(
    chapters: Sequence[ChapterSpec],
    *,
    version: int = 3,
    title: str = "A Test Book",
    authors: Sequence[tuple[str, str | None]] = (("Ada Lovelace", "Lovelace, Ada"),),
    toc: bool = True,
    series: tuple[str, str] | None = None,
    folder: str = "OEBPS",
    extra_metadata: str = "",
) -> dict[str, bytes]:
    """The members of a well-formed EPUB 2 (NCX) or EPUB 3 (nav) book."""
    prefix = f"{folder}/" if folder else ""
    members: dict[str, bytes] = {
        "mimetype": b"application/epub+zip",
        "META-INF/container.xml": CONTAINER.format(opf=f"{prefix}content.opf").encode(),
    }
    manifest, spine = [], []
    for number, spec in enumerate(chapters, 1):
        members[prefix + spec.name] = XHTML.format(
            title=escape(spec.title), body=spec.body
        ).encode()
        from urllib.parse import quote

        manifest.append(
            f'<item id="c{number}" href="{quote(spec.name)}" media-type="application/xhtml+xml"/>'
        )
        spine.append(f'<itemref idref="c{number}"/>')
    meta = [f"<dc:title>{escape(title)}</dc:title>", "<dc:language>en</dc:language>"]
    for number, (name, file_as) in enumerate(authors, 1):
        if version == 2:
            attr = f' opf:file-as="{escape(file_as)}"' if file_as else ""
            meta.append(f'<dc:creator opf:role="aut"{attr}>{escape(name)}</dc:creator>')
        else:
            meta.append(f'<dc:creator id="a{number}">{escape(name)}</dc:creator>')
            if file_as:
                meta.append(
                    f'<meta refines="#a{number}" property="file-as">{escape(file_as)}</meta>'
                )
    meta.append("<dc:date>1843-09-05</dc:date><dc:publisher>Test Press</dc:publisher>")
    if series:
        if version == 2:
            meta.append(f'<meta name="calibre:series" content="{escape(series[0])}"/>')
            meta.append(f'<meta name="calibre:series_index" content="{series[1]}"/>')
        else:
            meta.append(
                f'<meta property="belongs-to-collection" id="s1">{escape(series[0])}</meta>'
            )
            meta.append('<meta refines="#s1" property="collection-type">series</meta>')
            meta.append(f'<meta refines="#s1" property="group-position">{series[1]}</meta>')
    meta.append(extra_metadata)
    spine_attr = ""
    if toc and version == 3:
        items = "".join(
            f'<li><a href="{spec.name}#top">{escape(spec.title)}</a></li>' for spec in chapters
        )
        nav = f'<nav epub:type="toc"><h1>Contents</h1><ol>{items}</ol></nav>'
        members[prefix + "nav.xhtml"] = XHTML.format(title="Contents", body=nav).encode()
        manifest.append(
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
    elif toc:
        points = "".join(
            f'<navPoint id="p{n}" playOrder="{n}"><navLabel><text>{escape(spec.title)}</text>'
            f'</navLabel><content src="{spec.name}"/></navPoint>'
            for n, spec in enumerate(chapters, 1)
        )
        members[prefix + "toc.ncx"] = (
            '<?xml version="1.0"?>'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
            f"<head/><docTitle><text>{escape(title)}</text></docTitle><navMap>{points}</navMap></ncx>"
        ).encode()
        manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        spine_attr = ' toc="ncx"'
    members[prefix + "content.opf"] = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" '
        'unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
        f'<dc:identifier id="id">test-{version}</dc:identifier>{"".join(meta)}</metadata>'
        f"<manifest>{''.join(manifest)}</manifest><spine{spine_attr}>{''.join(spine)}</spine></package>"
    ).encode()
    return members


def write_zip(path: Path, members: dict[str, bytes], *, top: str = "") -> Path:
    """Zip ``members`` (mimetype stored first) into ``path``; ``top`` nests them in a folder."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(top + name, data, compress_type=kind)
    return path


def make_book(path: Path, chapters: Sequence[ChapterSpec] | None = None, **options: object) -> Path:
    """Write a well-formed book (three short chapters unless given) to ``path``."""
    specs = chapters or [
        chapter("ch1.xhtml", "The First Chapter", "It begins here.", "A second paragraph."),
        chapter("ch2.xhtml", "The Second Chapter", "The middle of the story."),
        chapter("ch3.xhtml", "The Third Chapter", "The lighthouse keeper's end."),
    ]
    return write_zip(path, book_members(specs, **options))  # type: ignore[arg-type]
