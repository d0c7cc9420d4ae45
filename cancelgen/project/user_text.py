"""A user's text file as cancelgen reads it and writes it back: same encoding, same line endings.

Merging works on text with ``\\n`` line endings. :func:`read_user_text`
decodes a file the way Python would (a byte-order mark, else a PEP 263
``coding`` line, else UTF-8) and notes its line ending; :meth:`UserText.encode`
turns merged text back into bytes in that encoding with those line endings.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass

from cancelgen.errors import CancelgenError


@dataclass(frozen=True)
class UserText:
    """The text of a user's file, with what it takes to write it back alike."""

    text: str
    """The content with ``\\n`` line endings."""
    encoding: str
    """A codec name; ``utf-8-sig`` keeps a byte-order mark."""
    newline: str
    """``\\n``, ``\\r\\n`` or ``\\r``: the file's (most common) line ending."""
    data: bytes
    """The file's bytes as read."""

    def encode(self, text: str, path: str) -> bytes:
        """``text`` (``\\n`` line endings) as bytes of this file: its line ending, its encoding.

        The file's own bytes when ``text`` is its content, so an unchanged file
        is never rewritten.
        """
        if text == self.text:
            return self.data
        try:
            return text.replace("\n", self.newline).encode(self.encoding)
        except UnicodeEncodeError as error:
            raise CancelgenError(
                f"cannot write {path} in its encoding {self.encoding}: the new "
                f"code holds {error.object[error.start : error.end]!r}; "
                "save the file as UTF-8 and run again"
            ) from None


def read_user_text(data: bytes, path: str) -> UserText:
    """Decode the bytes of ``path`` like Python reads source; note the line ending."""
    encoding = "utf-8"
    if path.endswith(".py"):
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as error:
            raise CancelgenError(f"cannot read {path}: {error.msg}") from None
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        decoded = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise CancelgenError(
            f"cannot read {path} as {encoding}: {error}; save it as UTF-8"
        ) from None
    crlf = decoded.count("\r\n")
    lone_lf = decoded.count("\n") - crlf
    lone_cr = decoded.count("\r") - crlf
    newline = max(
        (("\n", lone_lf), ("\r\n", crlf), ("\r", lone_cr)), key=lambda pair: pair[1]
    )[0]
    text = decoded.replace("\r\n", "\n").replace("\r", "\n")
    return UserText(text, encoding, newline, data)
