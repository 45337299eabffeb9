// What the system and the libraries say of a failure, in words a person acts on (src/errors.ts).
import { describe, expect, it } from 'vitest';
import { codeWords, messageWords, systemWords } from '../src/errors.js';

const coded = (code: string, message = `${code}: somewhere`) => Object.assign(new Error(message), { code });

describe('failures in words', () => {
  it.each<{ what: string; error: unknown; says: string }>([
    { what: 'a file not there', error: coded('ENOENT'), says: 'no such file or directory (ENOENT)' },
    { what: 'a directory refused', error: coded('EACCES'), says: 'permission denied (EACCES)' },
    { what: 'a code without words', error: coded('EWHATEVER'), says: 'EWHATEVER' },
    { what: 'no code: the message', error: new Error('it broke'), says: 'it broke' },
    { what: 'not an error', error: 'a string', says: 'a string' },
  ])('systemWords: $what', ({ error, says }) => expect(systemWords(error)).toBe(says));

  it.each<{ code: string; says: string }>([
    { code: 'ECONNREFUSED', says: 'connection refused (ECONNREFUSED)' },
    { code: 'EAI_AGAIN', says: 'the name server did not answer (EAI_AGAIN)' },
    { code: 'EPROTO', says: 'EPROTO' },
  ])('codeWords: $code', ({ code, says }) => expect(codeWords(code)).toBe(says));

  it.each<{ message: string; says: string }>([
    { message: 'connect ECONNREFUSED 127.0.0.1:25', says: 'connection refused (connect ECONNREFUSED 127.0.0.1:25)' },
    { message: 'getaddrinfo ENOTFOUND mail.example.com', says: 'no such host (getaddrinfo ENOTFOUND mail.example.com)' },
    { message: 'Invalid login: 535 5.7.8 bad credentials', says: 'Invalid login: 535 5.7.8 bad credentials' },
    { message: 'write EPIPE', says: 'write EPIPE' },
    // The first code it has words for, past one it has none for.
    { message: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25', says: 'connection refused (ESOCKET: connect ECONNREFUSED 127.0.0.1:25)' },
  ])('messageWords: $message', ({ message, says }) => expect(messageWords(message)).toBe(says));
});
