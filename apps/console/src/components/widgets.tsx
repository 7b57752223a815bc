import { useCallback, useMemo, useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="small"
      aria-label={`Copy ${label}`}
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/**
 * A secret shown once, right after it was created: the parent drops it when "Done" is pressed, and it is never
 * fetched again (the API keeps only a hash of API keys).
 */
export function SecretOnce({ secret, what, onDone }: { secret: string; what: string; onDone: () => void }) {
  return (
    <div className="secret" role="alert">
      <p>
        <strong>Your new {what}.</strong> Copy it now: it will not be shown again.
      </p>
      <p>
        <code data-testid="secret-value">{secret}</code> <CopyButton text={secret} label={what} />
      </p>
      <button type="button" onClick={onDone}>
        Done, I stored it
      </button>
    </div>
  );
}

const TONES: Record<string, string> = {
  DELIVERED: 'good',
  OPEN: 'good',
  CLICK: 'good',
  HEALTHY: 'good',
  VERIFIED: 'good',
  SUCCEEDED: 'good',
  ACTIVE: 'good',
  WARNING: 'warn',
  DELAYED: 'warn',
  BOUNCED: 'warn',
  PENDING: 'warn',
  BLOCKED: 'bad',
  BOUNCED_PERMANENT: 'bad',
  COMPLAINED: 'bad',
  FAILED: 'bad',
  EXHAUSTED: 'bad',
  BLACKLISTED: 'bad',
  REVOKED: 'bad',
};

export function Badge({ value }: { value: string }) {
  return <span className={`badge ${TONES[value] ?? 'neutral'}`}>{value}</span>;
}

/** Cursor paging: the API gives the next page's cursor; the ones already visited make "Previous" possible. */
export function usePager() {
  const [stack, setStack] = useState<string[]>([]);
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  // Stable, and a no-op on the first page: pages call it from an effect when their filters change.
  const reset = useCallback(() => setStack((s) => (s.length === 0 ? s : [])), []);
  return useMemo(
    () => ({ cursor: stack[stack.length - 1], page: stack.length + 1, next, previous, reset }),
    [stack, next, previous, reset],
  );
}

export function Pager({
  pager,
  nextCursor,
}: {
  pager: ReturnType<typeof usePager>;
  nextCursor: string | null | undefined;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={pager.page === 1} onClick={pager.previous}>
        Previous
      </button>
      <span>Page {pager.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next
      </button>
    </nav>
  );
}

export const percent = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
