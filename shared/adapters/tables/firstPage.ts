/** The first page of a paged query (the service's continuation token is on it), or undefined when there is none. */
export async function firstPage<P>(pages: AsyncIterableIterator<P>): Promise<P | undefined> {
    const next: IteratorResult<P, unknown> = await pages.next();
    return next.done === true ? undefined : next.value;
}
