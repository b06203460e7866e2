#!/usr/bin/env python3
"""Turns our DOCX into a returned one for the review benchmark: a tracked change of a
notice period, an untracked edit, a tracked paragraph and a comment, as Word writes
them. (The tests use the Rust generator in tests/it/review_fixture.rs; this one only
needs to give `mou review` the same amount of work.)

usage: make_theirs.py OURS.docx THEIRS.docx
"""
import re
import sys
import zipfile

AUTH = 'w:author="Jordan Lee" w:date="2024-05-02T14:03:00Z"'


def main(ours, theirs):
    zin = zipfile.ZipFile(ours)
    parts = {n: zin.read(n) for n in zin.namelist()}
    doc = parts["word/document.xml"].decode()
    # A tracked change of the termination notice (a profile value), else of the first
    # "thirty (30)".
    notice = doc.find("thirty (30) days' written notice of termination")
    first = notice if notice >= 0 else doc.find("thirty (30)")
    doc = doc[:first] + doc[first:].replace(
        "thirty (30)",
        '</w:t></w:r><w:del w:id="901" ' + AUTH + '><w:r><w:delText>thirty (30)</w:delText></w:r></w:del>'
        '<w:ins w:id="902" ' + AUTH + '><w:r><w:t>sixty (60)</w:t></w:r></w:ins><w:r><w:t xml:space="preserve">',
        1,
    )
    # An untracked edit, and a comment on the next sentence's first words.
    doc = doc.replace(" reasonable ", " prompt and reasonable ", 1)
    doc = doc.replace(
        "<w:r><w:t xml:space=\"preserve\">Each party",
        '<w:commentRangeStart w:id="903"/><w:r><w:t xml:space="preserve">Each party',
        1,
    )
    start = doc.find('<w:commentRangeStart w:id="903"/>')
    end = doc.find("</w:r>", start) + len("</w:r>")
    doc = doc[:end] + '<w:commentRangeEnd w:id="903"/>' + doc[end:]
    # A tracked paragraph after the tenth body paragraph.
    ends = [m.end() for m in re.finditer("</w:p>", doc)]
    at = ends[min(40, len(ends) - 1)]
    doc = (
        doc[:at]
        + '<w:p><w:pPr><w:rPr><w:ins w:id="904" ' + AUTH + '/></w:rPr></w:pPr><w:ins w:id="905" ' + AUTH + '>'
        '<w:r><w:t>The parties will meet each quarter to review the Program.</w:t></w:r></w:ins></w:p>'
        + doc[at:]
    )
    parts["word/document.xml"] = doc.encode()
    parts["word/comments.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:id="903" ' + AUTH + '><w:p><w:r><w:t>Please confirm.</w:t></w:r></w:p></w:comment></w:comments>'
    ).encode()
    with zipfile.ZipFile(theirs, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
