export interface HealthCheck {
  name: string;
  ok: boolean;
  detail?: string;
}
export interface HealthReport {
  service: string;
  ok: boolean;
  checks: HealthCheck[];
}
