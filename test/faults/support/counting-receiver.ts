import { startReceiver, type Receiver, type Responder } from '@hookline/testing';

export interface Tally {
  /** Events received, counting repeats. */
  received: number;
  /** Distinct event sequence numbers received. */
  distinct: Set<number>;
  duplicates: number;
  /** True while first occurrences arrived in increasing order. */
  ordered: boolean;
}

/** A receiver that reads `{"<type>":[{"seq":n,...}]}` batches and tallies sequence numbers. */
export async function startCountingReceiver(responder?: Responder): Promise<Receiver & { tally: Tally }> {
  const tally: Tally = { received: 0, distinct: new Set(), duplicates: 0, ordered: true };
  let lastFirst = -1;
  const receiver = await startReceiver((req, i) => {
    const body = JSON.parse(req.body) as Record<string, { seq: number }[]>;
    for (const list of Object.values(body)) {
      for (const e of list) {
        tally.received++;
        if (tally.distinct.has(e.seq)) tally.duplicates++;
        else {
          if (e.seq < lastFirst) tally.ordered = false;
          lastFirst = e.seq;
          tally.distinct.add(e.seq);
        }
      }
    }
    return responder ? responder(req, i) : { status: 200 };
  });
  return Object.assign(receiver, { tally });
}
