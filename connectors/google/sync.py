"""Pages through a Google list call that hands out sync tokens, starting over when the stored token expired."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from googleapiclient.errors import HttpError

from connectors.google.calls import Sleep, execute


class ListingFailed(Exception):
    """A page could not be read (after retries); `page` counts from 1 within the current listing."""

    def __init__(self, page: int, error: HttpError):
        super().__init__(page, error)
        self.page, self.error = page, error


def sync_token_pages(
    list_request: Callable[[str | None, str | None], object],
    state: dict,
    token_expired: Callable[[HttpError], bool],
    sleep: Sleep,
) -> Iterator[tuple[int, dict]]:
    """(page number, response) of `list_request(sync_token, page_token)` until the last page.

    Sets `state["full_resync"]` (True when listing everything: no token, or `token_expired` said so, in which
    case the token is dropped and the listing starts over) and stores the last page's `nextSyncToken` in
    `state["sync_token"]` once the caller has consumed every page. Raises ListingFailed.
    """
    sync_token = state.get("sync_token")
    state["full_resync"] = sync_token is None
    page_token = None
    page = 1
    while True:
        try:
            response = execute(list_request(sync_token, page_token), sleep)
        except HttpError as error:
            if sync_token is None or not token_expired(error):
                raise ListingFailed(page, error) from error
            sync_token = page_token = None
            state.pop("sync_token", None)
            state["full_resync"] = True
            page = 1
            continue
        yield page, response
        page_token = response.get("nextPageToken")
        if not page_token:
            break
        page += 1
    if response.get("nextSyncToken"):
        state["sync_token"] = response["nextSyncToken"]
