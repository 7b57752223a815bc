import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../auth';
import { ErrorText, QueryState } from '../components/query-state';
import { SenderCard } from '../components/sender-card';
import { unwrap } from '../session';

export function SendersPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const senders = useQuery({ queryKey: ['senders'], queryFn: () => unwrap(api.GET('/senders')) });
  const refresh = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/senders/{id}/refresh', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['senders'] }),
  });
  return (
    <section>
      <h1>Senders</h1>
      <p className="hint">The support team adds sender identities; publish their DNS records to verify them.</p>
      <ErrorText error={refresh.error} />
      <QueryState query={senders} label="the senders">
        {(list) =>
          list.length === 0 ? (
            <p>No sender identity yet.</p>
          ) : (
            list.map((s) => (
              <SenderCard
                key={s.id}
                sender={s}
                actions={
                  <button type="button" className="small" onClick={() => refresh.mutate(s.id)}>
                    Check again
                  </button>
                }
              />
            ))
          )
        }
      </QueryState>
    </section>
  );
}
