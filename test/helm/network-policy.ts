// Evaluates Kubernetes NetworkPolicies (networking.k8s.io/v1) the way the API defines them, for
// pods given by their namespace and labels: a pod selected by no policy of a direction accepts
// (or sends) everything in it; once one selects it, only what some rule of such a policy admits.
// A connection happens when the sender's egress and the receiver's ingress both admit it.
import type { K8sObject } from './chart.ts';

export interface Pod {
  /** For messages: deployment/name, store/name, … */
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports (for policies that name a port). */
  ports?: Record<string, number>;
}

/** Something outside the cluster, reached by address (a managed database). */
export interface External {
  name: string;
  ip: string;
}

const ipv4 = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** Is an IPv4 address inside a CIDR block? */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PortRule {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

interface Rule {
  from?: Peer[] | null;
  to?: Peer[] | null;
  ports?: PortRule[] | null;
}

/** Does a label selector select these labels? (An empty selector selects everything.) */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const req of selector.matchExpressions ?? []) {
    const has = key(labels, req.key);
    if (req.operator === 'Exists' && !has) return false;
    if (req.operator === 'DoesNotExist' && has) return false;
    if (req.operator === 'In' && !(has && req.values!.includes(labels[req.key]))) return false;
    if (req.operator === 'NotIn' && has && req.values!.includes(labels[req.key])) return false;
  }
  return true;
}

const key = (labels: Record<string, string>, k: string): boolean => Object.prototype.hasOwnProperty.call(labels, k);

export class PolicySet {
  constructor(
    private readonly policies: K8sObject[],
    private readonly namespaces: Namespace[],
    /** The namespace the chart's (namespace-less) objects are installed in. */
    private readonly releaseNamespace: string,
  ) {}

  private namespaceOf(policy: K8sObject): string {
    return policy.metadata.namespace ?? this.releaseNamespace;
  }

  private selecting(pod: Pod, direction: 'Ingress' | 'Egress'): K8sObject[] {
    return this.policies.filter((policy) => {
      if (this.namespaceOf(policy) !== pod.namespace) return false;
      if (!selects(policy.spec.podSelector ?? {}, pod.labels)) return false;
      // policyTypes defaults to Ingress, plus Egress when the policy has egress rules.
      const types: string[] = policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];
      return types.includes(direction);
    });
  }

  /** Does a peer list entry name this pod? ipBlocks name addresses outside the cluster, not pods. */
  private peerMatches(peer: Peer, pod: Pod, policyNamespace: string): boolean {
    if (peer.ipBlock) return false;
    const namespace = this.namespaces.find((n) => n.name === pod.namespace);
    if (!namespace) throw new Error(`unknown namespace ${pod.namespace}`);
    if (peer.namespaceSelector && !selects(peer.namespaceSelector, namespace.labels)) return false;
    if (!peer.namespaceSelector && pod.namespace !== policyNamespace) return false;
    if (peer.podSelector && !selects(peer.podSelector, pod.labels)) return false;
    return true;
  }

  private portMatches(rule: Rule, port: number, target: Pod): boolean {
    if (!rule.ports || rule.ports.length === 0) return true;
    return rule.ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== 'TCP') return false;
      if (p.port === undefined) return true;
      const number = typeof p.port === 'string' ? target.ports?.[p.port] : p.port;
      if (number === undefined) return false;
      return p.endPort ? port >= number && port <= p.endPort : port === number;
    });
  }

  private admits(pod: Pod, direction: 'Ingress' | 'Egress', other: Pod, port: number, portOwner: Pod): boolean {
    const policies = this.selecting(pod, direction);
    if (policies.length === 0) return true;
    return policies.some((policy) => {
      const rules: Rule[] = (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
      return rules.some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerOk = !peers || peers.length === 0 || peers.some((peer) => this.peerMatches(peer, other, this.namespaceOf(policy)));
        return peerOk && this.portMatches(rule, port, portOwner);
      });
    });
  }

  /** Can a pod open a TCP connection to an address outside the cluster? Only its egress rules decide. */
  canReachExternal(from: Pod, to: External, port: number): boolean {
    const policies = this.selecting(from, 'Egress');
    if (policies.length === 0) return true;
    return policies.some((policy) =>
      ((policy.spec.egress ?? []) as Rule[]).some((rule) => {
        const peerOk =
          !rule.to ||
          rule.to.length === 0 ||
          rule.to.some((peer) => peer.ipBlock && inCidr(to.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(to.ip, c)));
        return peerOk && this.portMatches(rule, port, from);
      }),
    );
  }

  /** Can `from` open a TCP connection to `to` on `port`? */
  canConnect(from: Pod, to: Pod, port: number): boolean {
    return this.admits(from, 'Egress', to, port, to) && this.admits(to, 'Ingress', from, port, to);
  }
}
