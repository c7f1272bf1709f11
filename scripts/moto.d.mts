export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): void;
  unref(): void;
}
export function startMoto(options?: { python?: string; timeoutMs?: number }): Promise<MotoServer>;
