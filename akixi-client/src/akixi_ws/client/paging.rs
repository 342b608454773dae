//! Paging through `List` operations as a stream of entries.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::{Error, PagingError};
use super::handle::Client;
use super::service::{AkixiWsService, Validate};
use crate::akixi_ws::payload::Operation;
use crate::akixi_ws::read::List;

type PageFuture<S, E> = Pin<Box<dyn Future<Output = Result<List<E>, Error<S>>> + Send>>;

/// The most entries one paging walk fetches before it stops with [`PagingError`]: no Akixi
/// service holds this many of anything, so a server still returning full pages by then is
/// broken or hostile, and paging it would never end.
pub const MAX_LIST_ENTRIES: u64 = 10_000_000;

/// What a paging walk has seen, to stop one that goes nowhere: a full page that repeats the
/// previous one (a server ignoring `Offset`), or more than [`MAX_LIST_ENTRIES`] entries. Used
/// by [`ListStream`] and by callers that page by hand (the command line's export).
#[derive(Debug, Clone, Default)]
pub struct PageProgress {
    fetched: u64,
    previous: Option<u64>,
}

impl PageProgress {
    /// Counts a page of `len` entries (of a page size `limit`) whose entries `fingerprint`
    /// summarises (say, a hash of its first and last entry); an error when paging must stop.
    pub fn page(
        &mut self,
        operation: &'static str,
        len: u64,
        limit: u64,
        fingerprint: impl FnOnce() -> u64,
    ) -> Result<(), PagingError> {
        let stop = |fetched, reason: &str| PagingError {
            operation,
            fetched,
            reason: reason.to_owned(),
        };
        if len >= limit && len > 0 {
            let print = fingerprint();
            if self.previous == Some(print) {
                return Err(stop(
                    self.fetched,
                    "the server returned the same full page twice (it ignores Offset?)",
                ));
            }
            self.previous = Some(print);
        }
        self.fetched = self.fetched.saturating_add(len);
        if self.fetched > MAX_LIST_ENTRIES {
            return Err(stop(
                self.fetched,
                &format!("more than {MAX_LIST_ENTRIES} entries, and the pages keep coming"),
            ));
        }
        Ok(())
    }
}

/// A fingerprint of a page from the `Debug` text of its first and last entries.
fn page_print<E: fmt::Debug>(entries: &[E]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}{:?}", entries.first(), entries.last()).hash(&mut h);
    h.finish()
}

/// The entries of a `List` operation of the service `S`, page by page (see [`Client::list`];
/// the generated `ListStream<O, E>` names it for one service).
///
/// Pages are fetched with `Offset`/`Limit` one at a time, when the previous page has been
/// consumed, so at most one page is held in memory. The stream ends after a page shorter than
/// the page size, or after an error (resume from [`next_offset`](Self::next_offset)),
/// including [`Error::Paging`] when the server's pages go nowhere ([`PageProgress`]).
/// Properties a page carries beside its entries are not kept; call the operation itself to
/// see them.
pub struct ListStream<S: AkixiWsService, O, E> {
    client: Client<S>,
    request: O,
    offset: u64,
    limit: u64,
    page: std::vec::IntoIter<E>,
    pending: Option<PageFuture<S, E>>,
    done: bool,
    progress: PageProgress,
}

impl<S: AkixiWsService, O, E> ListStream<S, O, E> {
    pub(crate) fn new(client: Client<S>, request: O, offset: u64, limit: u64) -> Self {
        ListStream {
            client,
            request,
            offset,
            limit,
            page: Vec::new().into_iter(),
            pending: None,
            done: false,
            progress: PageProgress::default(),
        }
    }

    /// The `Offset` of the first entry not fetched yet: where to resume after an error.
    pub fn next_offset(&self) -> u64 {
        self.offset
    }

    /// The page size (`Limit`).
    pub fn page_size(&self) -> u64 {
        self.limit
    }
}

// No field is ever pinned in place: the page future is boxed, the rest is moved freely.
impl<S: AkixiWsService, O, E> Unpin for ListStream<S, O, E> {}

impl<S: AkixiWsService, O, E> fmt::Debug for ListStream<S, O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListStream")
            .field("next_offset", &self.offset)
            .field("page_size", &self.limit)
            .field("buffered", &self.page.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<S: AkixiWsService, O, E> Stream for ListStream<S, O, E>
where
    O: Operation<Response = List<E>>
        + Validate<Platform = S::Platform, Unsupported = S::Unsupported>
        + Clone
        + Send
        + Sync
        + 'static,
    E: fmt::Debug + Send + Sync + 'static,
{
    type Item = Result<E, Error<S>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(entry) = this.page.next() {
                return Poll::Ready(Some(Ok(entry)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let fut = this.pending.get_or_insert_with(|| {
                // Release the consumed page before fetching the next one.
                this.page = Vec::new().into_iter();
                let mut request = this.request.clone();
                request.set_paging(Some(this.offset), Some(this.limit));
                let client = this.client.clone();
                Box::pin(async move { client.execute(&request).await })
            });
            match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.pending = None;
                    match result {
                        Err(e) => {
                            this.done = true;
                            return Poll::Ready(Some(Err(e)));
                        }
                        Ok(list) => {
                            let n = list.entries.len() as u64;
                            if let Err(e) = this
                                .progress
                                .page(O::NAME, n, this.limit, || page_print(&list.entries))
                            {
                                this.done = true;
                                return Poll::Ready(Some(Err(Error::Paging(Box::new(e)))));
                            }
                            this.offset += n;
                            this.done = n < this.limit || !O::PAGED;
                            this.page = list.entries.into_iter();
                        }
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.page.len();
        (buffered, if self.done { Some(buffered) } else { None })
    }
}

impl<S: AkixiWsService> Client<S> {
    /// Every entry of a `List` operation, as a stream that pages with `Offset`/`Limit`.
    ///
    /// Starts at the request's `Offset` (or 0); pages hold the request's `Limit` entries, or
    /// [`ClientBuilder::page_size`](super::ClientBuilder::page_size) if it sets none. At most one page is held in memory; the
    /// stream ends after a short page. Each page is a call, with the same validation, session
    /// handling and retries.
    pub fn list<O, E>(&self, request: O) -> ListStream<S, O, E>
    where
        O: Operation<Response = List<E>>
            + Validate<Platform = S::Platform, Unsupported = S::Unsupported>
            + Clone
            + Send
            + Sync
            + 'static,
        E: fmt::Debug + Send + Sync + 'static,
    {
        let (offset, limit) = request.paging();
        let limit = limit.filter(|l| *l > 0).unwrap_or(self.inner.page_size);
        ListStream::new(self.clone(), request, offset.unwrap_or(0), limit)
    }
}
