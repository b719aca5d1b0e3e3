import '@tanstack/react-query';

declare module '@tanstack/react-query' {
  interface Register {
    /** `silent`: the component shows this failure itself; the global handler stays quiet. */
    mutationMeta: { silent?: boolean };
    queryMeta: { silent?: boolean };
  }
}
