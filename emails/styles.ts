import type { CSSProperties } from 'react';

/** Shared by the email templates so every kind looks like the invitation. */
export const body: CSSProperties = { backgroundColor: '#f4f4f5', fontFamily: 'Helvetica, Arial, sans-serif' };
export const container: CSSProperties = {
  backgroundColor: '#ffffff',
  margin: '24px auto',
  padding: '32px',
  maxWidth: '560px',
  borderRadius: '8px',
};
export const heading: CSSProperties = { fontSize: '22px', color: '#18181b', margin: '0 0 16px' };
export const text: CSSProperties = { fontSize: '16px', lineHeight: '24px', color: '#27272a' };
export const figure: CSSProperties = {
  fontSize: '16px',
  lineHeight: '24px',
  color: '#27272a',
  margin: '2px 0',
};
export const button: CSSProperties = {
  backgroundColor: '#2563eb',
  color: '#ffffff',
  borderRadius: '6px',
  padding: '12px 20px',
  fontSize: '16px',
  fontWeight: 600,
  textDecoration: 'none',
  margin: '8px 0 16px',
};
export const small: CSSProperties = {
  fontSize: '13px',
  lineHeight: '20px',
  color: '#52525b',
  margin: '4px 0',
};
export const link: CSSProperties = { color: '#2563eb', wordBreak: 'break-all' };
export const footer: CSSProperties = {
  fontSize: '12px',
  lineHeight: '18px',
  color: '#71717a',
  marginTop: '24px',
};
