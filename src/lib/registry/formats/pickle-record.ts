/**
 * What the pickle disassembler saw across every stream of one file: imports, calls,
 * findings, protocol and opcode count. It becomes the file's safety report.
 */
import { classifyGlobal, pickleVerdict } from './pickle-safety';
import type { PickleCall, PickleImport, SafetyFinding, SafetyReport } from './types';

/** Distinct imports and calls kept in a report; counts past it still add up. */
const MAX_DISTINCT = 1000;

export class PickleRecord {
  readonly imports = new Map<string, PickleImport>();
  readonly calls = new Map<string, PickleCall>();
  readonly findings: SafetyFinding[] = [];
  protocol: number | null = null;
  opcodeCount = 0;
  complete = true;
  embeddedArrays = 0;
  persistentIds = 0;
  readonly sklearnVersions = new Set<string>();

  addImport(name: string, offset: number): void {
    const known = this.imports.get(name);
    if (known) known.count += 1;
    else if (this.imports.size < MAX_DISTINCT) {
      this.imports.set(name, { name, risk: classifyGlobal(name), count: 1, firstOffset: offset });
    }
  }

  addCall(callable: string, opcode: string, offset: number): void {
    const key = `${opcode} ${callable}`;
    const known = this.calls.get(key);
    if (known) known.count += 1;
    else if (this.calls.size < MAX_DISTINCT) {
      this.calls.set(key, { callable, opcode, count: 1, firstOffset: offset });
    }
  }

  addFinding(severity: SafetyFinding['severity'], message: string): void {
    if (this.findings.length < 100 && !this.findings.some((f) => f.message === message)) {
      this.findings.push({ severity, message });
    }
  }

  /** The safety report for everything seen so far. */
  report(): SafetyReport {
    const imports = [...this.imports.values()].sort((a, b) => a.firstOffset - b.firstOffset);
    const calls = [...this.calls.values()].sort((a, b) => a.firstOffset - b.firstOffset);
    const { verdict, summary } = pickleVerdict(imports, calls, this.findings, this.complete);
    return {
      verdict,
      summary,
      findings: [...this.findings],
      imports,
      calls,
      protocol: this.protocol,
      opcodeCount: this.opcodeCount,
      complete: this.complete,
    };
  }
}

/** The report for a file that can hold code but could not be read far enough to judge. */
export function unknownSafety(reason: string): SafetyReport {
  return {
    verdict: 'unknown',
    summary:
      `Stemma could not read this file far enough to judge it (${reason}). ` +
      'Treat it as unsafe.',
    findings: [],
    imports: [],
    calls: [],
    protocol: null,
    opcodeCount: 0,
    complete: false,
  };
}
