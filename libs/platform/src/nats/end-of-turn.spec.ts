import { EndOfTurn } from './end-of-turn.js';

describe('EndOfTurn', () => {
  it('runs what one turn deferred together, after that turn, in order', async () => {
    const turn = new EndOfTurn();
    const ran: string[] = [];
    turn.defer(() => ran.push('a'));
    await Promise.resolve(); // microtasks of the same turn run before it
    turn.defer(() => ran.push('b'));
    expect(ran).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['a', 'b']);
  });

  it('starts a new batch for what is deferred while a batch runs', async () => {
    const turn = new EndOfTurn();
    const ran: string[] = [];
    turn.defer(() => {
      ran.push('first');
      turn.defer(() => ran.push('next turn'));
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['first']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['first', 'next turn']);
  });
});
