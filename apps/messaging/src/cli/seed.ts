import { readFileSync } from 'node:fs';
import { runMain } from '@polystore/platform';
import { loadMessagingConfig } from '../config.js';
import { conversationIdOf, messageIdOf } from '../domain/conversation.js';
import { ConversationsStore } from '../store/conversations.store.js';
import { ensureIndexes, resetMessagingStore } from '../store/indexes.js';
import { MessagingMongo } from '../store/messaging-mongo.js';
import type { ConversationDoc, MessageDoc } from '../store/models.js';

const WORDS =
  'hello thanks see you tomorrow the order shipped yesterday did it arrive price looks great lunch at noon meeting moved call me later sounds good what about the lamp walnut desk tent kettle new colour shoes fit size maybe next week'.split(
    ' ',
  );

/**
 * `npm run messaging:seed -- [count=1000000] --users <file with one user id a line> [--batch 5000] [--reset]`
 * Bulk-loads direct messages straight into messaging's own store through its store code, spread
 * evenly over every pair of the given users (100 users: 4,950 conversations). Messages carry no
 * pending events (nothing to publish). `--reset` first drops messaging's collections (test stacks
 * only). Prints the insert rate.
 */
export async function seed(args: string[]): Promise<{ messages: number; conversations: number; docsPerSecond: number }> {
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const usersFile = option('users');
  if (!usersFile) throw new Error('--users <file> is required: one user id a line (real users, so the users service knows them)');
  const users = readFileSync(usersFile, 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  if (users.length < 2) throw new Error(`${usersFile} holds ${users.length} user ids; at least 2 are needed`);
  const batch = Number(option('batch') ?? 5_000);

  const mongo = new MessagingMongo(loadMessagingConfig());
  try {
    if (args.includes('--reset')) await resetMessagingStore(mongo.connection);
    await ensureIndexes(mongo.connection);
    const store = new ConversationsStore(mongo);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < users.length; i++) for (let j = i + 1; j < users.length; j++) pairs.push([users[i]!, users[j]!]);
    const started = Date.now();
    const since = started - 30 * 24 * 3600_000;
    let written = 0;
    let messages: MessageDoc[] = [];
    let conversations: ConversationDoc[] = [];
    // Two batches in flight: the next is built and validated while the store writes the last.
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      const [m, c] = [messages, conversations];
      messages = [];
      conversations = [];
      const previous = inFlight;
      inFlight = (async () => {
        await store.bulkInsert(m, []);
        await previous; // conversations only after every earlier batch's messages are in
        await store.bulkInsert([], c);
        written += m.length;
        progress(written, count, started);
      })();
      await previous;
    };
    for (let p = 0; p < pairs.length; p++) {
      const [a, b] = pairs[p]!;
      const total = Math.floor(count / pairs.length) + (p < count % pairs.length ? 1 : 0);
      if (total === 0) continue;
      const conversationId = conversationIdOf(a, b);
      const readSeq: Record<string, number> = { [a]: 0, [b]: 0 };
      let sentAt = new Date(since);
      let last: MessageDoc | null = null;
      for (let seq = 1; seq <= total; seq++) {
        const senderId = (seq * 7 + p) % 3 === 0 ? b : a;
        sentAt = new Date(since + Math.floor(((started - since) * seq) / (total + 1)) + p);
        readSeq[senderId] = seq;
        last = {
          _id: messageIdOf(conversationId, seq),
          conversationId,
          seq,
          senderId,
          recipientId: senderId === a ? b : a,
          text: sentence(p * 31 + seq),
          sentAt,
          pendingEvents: [],
        };
        messages.push(last);
      }
      const lastMessage = { seq: last!.seq, senderId: last!.senderId, recipientId: last!.recipientId, text: last!.text, sentAt: last!.sentAt };
      conversations.push({
        _id: conversationId,
        participants: [a, b],
        lastSeq: total,
        lastMessage,
        readSeq,
        publishedSeq: total,
        pendingSends: [],
        createdAt: new Date(since),
        lastMessageAt: sentAt,
      });
      if (messages.length >= batch) await flush();
    }
    await flush();
    await inFlight;
    const seconds = (Date.now() - started) / 1000;
    const docsPerSecond = Math.round(written / seconds);
    process.stderr.write('\n');
    console.log(`seeded ${written} messages in ${Math.min(count, pairs.length)} conversations in ${seconds.toFixed(1)} s: ${docsPerSecond} docs/s`);
    return { messages: written, conversations: pairs.length, docsPerSecond };
  } finally {
    await mongo.onApplicationShutdown();
  }
}

function sentence(n: number): string {
  const length = 4 + (n % 25);
  const words = [];
  for (let i = 0; i < length; i++) words.push(WORDS[(n * 13 + i * 7) % WORDS.length]);
  return words.join(' ');
}

function progress(done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.min(width, Math.round((done / total) * width));
  const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate} docs/s)`);
}

if (process.argv[1]?.endsWith('seed.js')) runMain(() => seed(process.argv.slice(2)));
