// Keyset cursors from api/schemas.ts (pure helpers; kept with the domain tests).
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../api/schemas';

const ID = '0199a1b2-0000-7000-8000-000000000000';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it.each([
    ['createdAt', '2027-03-01T09:00:00.000Z'],
    ['-createdAt', '2027-03-01T09:00:00.000Z'],
    ['name', 'josé müller'],
    ['email', 'jane+tag@example.com'],
    ['status', 'invited'],
    ['events', '2027-03-01T09:00:00.000Z'],
    ['name', 'with "quotes", [brackets] and \\ backslash'],
    ['name', ''],
  ])('returns the value and id when a %s cursor is decoded for the same sort', (sort, value) => {
    expect(decodeCursor(encodeCursor(sort, value, ID), sort)).toEqual({ value, id: ID });
  });

  it('produces URL-safe text when the value has characters base64 would escape', () => {
    const cursor = encodeCursor('name', '???>>>~~~ÿÿÿ', ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('produces different cursors when the sort differs', () => {
    expect(encodeCursor('name', 'a', ID)).not.toBe(encodeCursor('email', 'a', ID));
  });

  it.each([
    ['name', 'email'],
    ['createdAt', '-createdAt'],
    ['events', 'createdAt'],
  ])('returns null when a %s cursor is used for sort %s', (from, to) => {
    expect(decodeCursor(encodeCursor(from, 'x', ID), to)).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['not base64', '%%%not a cursor%%%'],
    ['base64 of non-JSON', Buffer.from('hello world').toString('base64url')],
    ['truncated', encodeCursor('name', 'jane', ID).slice(0, 10)],
  ])('returns null when the cursor is %s', (_case, cursor) => {
    expect(decodeCursor(cursor, 'name')).toBeNull();
  });

  it.each([
    ['an object', { sort: 'name', value: 'a', id: ID }],
    ['a string', 'name'],
    ['null', null],
    ['a two-element array', ['name', 'a']],
    ['a four-element array', ['name', 'a', ID, 'extra']],
    ['a numeric value', ['name', 42, ID]],
    ['a numeric id', ['name', 'a', 7]],
    ['a null value', ['name', null, ID]],
  ])('returns null when the cursor encodes %s', (_case, payload) => {
    expect(decodeCursor(b64(payload), 'name')).toBeNull();
  });
});
