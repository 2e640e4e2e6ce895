/** The URLs that go into e-mails; the token is the only secret in them. */
export function confirmUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/confirm/${token}`;
}

export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/unsubscribe/${token}`;
}

export function handoverUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/handover/${token}`;
}
