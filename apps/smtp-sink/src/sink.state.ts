/** One message as the sink received it, its text decoded from the transfer encoding. */
export interface ReceivedMail {
  id: number;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/** Refusing mail for a while, as a real server does when it is overloaded or going down. */
export interface Refusal {
  /** 421 refuses the connection at the greeting; any other 4xx or 5xx refuses each transaction's MAIL FROM. */
  code: number;
  /** How many more connections or transactions to refuse (null: no count). */
  remaining: number | null;
  /** Until when, in ms since the epoch (null: no deadline). */
  until: number | null;
}

export class SinkState {
  readonly messages: ReceivedMail[] = [];
  refusal: Refusal | null = null;
  received = 0;
  refused = 0;

  constructor(private readonly max: number) {}

  add(mail: Omit<ReceivedMail, 'id'>): ReceivedMail {
    const kept = { id: ++this.received, ...mail };
    this.messages.push(kept);
    if (this.messages.length > this.max) this.messages.shift();
    return kept;
  }

  /** The code to refuse with at `stage`, counting the refusal; undefined to accept. */
  refuses(stage: 'connect' | 'mail'): number | undefined {
    const r = this.refusal;
    if (!r) return undefined;
    if ((r.until !== null && Date.now() >= r.until) || r.remaining === 0) {
      this.refusal = null;
      return undefined;
    }
    if ((r.code === 421) !== (stage === 'connect')) return undefined;
    if (r.remaining !== null) r.remaining--;
    this.refused++;
    return r.code;
  }
}
