"""The only way WeasyPrint may read a file: from the book's folder or the styles folder.

The checks report every path a manuscript names that leaves the book (publish.sandbox), so
this is the second line: whatever HTML or CSS reaches WeasyPrint, it reads nothing else and
reaches no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from publish.sandbox import contained


class RefusedFetch(FatalURLFetchingError):
    """A resource outside the sandbox was asked for; rendering stops."""

    def __init__(self, url: str) -> None:
        super().__init__(f"refused to read {url}: only files in the book's folder may be used")
        self.url = url


class SandboxFetcher(URLFetcher):
    """Serves `data:` URLs and files under the allowed folders; refuses everything else."""

    def __init__(self, allowed: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self._allowed = [p.resolve() for p in allowed]

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlparse(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedFetch(url)
        path = Path(url2pathname(unquote(urlparse(url).path)))
        if not contained(path, self._allowed) or not path.is_file():
            raise RefusedFetch(url)
        return URLFetcherResponse(url, path.resolve().read_bytes())
