/** A document as this process last wrote it, with the version OpenSearch gave that write. */
export interface WrittenVersion<TDoc> {
  doc: TDoc;
  seqNo: number;
  primaryTerm: number;
  /** The concrete index written (behind an alias), so the next write goes exactly there. */
  index?: string;
}

/**
 * What this process last wrote per document, so the next read-modify-write of a hot document (stock
 * holds under checkout load) can skip its GET round trip. Trusted only through a conditional write
 * (`if_seq_no`/`if_primary_term`): if anyone else wrote since, that write fails with 409 and the
 * caller reads the document fresh. Bounded; the oldest entries go first.
 */
export class LastWrites<TDoc> {
  private readonly entries = new Map<string, WrittenVersion<TDoc>>();

  constructor(private readonly capacity = 10_000) {}

  get(id: string): WrittenVersion<TDoc> | undefined {
    return this.entries.get(id);
  }

  remember(id: string, written: WrittenVersion<TDoc>): void {
    this.entries.delete(id);
    this.entries.set(id, written);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Remembers `written` unless what is remembered is as new or newer (news from another writer, such as the outbox relay). */
  rememberIfNewer(id: string, written: WrittenVersion<TDoc>): void {
    const known = this.entries.get(id);
    if (known && (known.primaryTerm > written.primaryTerm || (known.primaryTerm === written.primaryTerm && known.seqNo >= written.seqNo))) return;
    this.remember(id, written);
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
