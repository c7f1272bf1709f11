import type { DriveSpec } from '../drive-spec.js';
import type { Scenario } from './common.js';
import { b6, B6_DRIVE } from './feed.js';
import { b1, b2, KNOWN_DRIVE, setupKnown } from './known.js';
import { b5, B5_DRIVE } from './rename.js';
import { b3, B3_DRIVE, b4, B4_DRIVE } from './throughput.js';

export interface Group {
  /** Scenarios sharing one simulator (and one store folder), run in this order. */
  name: string;
  /** What the simulator's drive holds before the first of them runs. */
  drives: DriveSpec[];
  steps: Array<{ id: string; run: Scenario; setup?: boolean }>;
  /**
   * Seconds the group may take on this machine under other people's load (simulator build
   * included, one repetition): what the runner keeps free for it when deciding whether an
   * earlier scenario may repeat its measurements within the 10-minute budget.
   */
  budgetS: number;
}

export const GROUPS: Group[] = [
  {
    name: 'known',
    drives: [KNOWN_DRIVE],
    steps: [
      { id: 'setup-known', run: setupKnown, setup: true },
      { id: 'B1', run: b1 },
      { id: 'B2', run: b2 },
    ],
    budgetS: 70,
  },
  { name: 'B3', drives: [B3_DRIVE], steps: [{ id: 'B3', run: b3 }], budgetS: 60 },
  { name: 'B4', drives: [B4_DRIVE], steps: [{ id: 'B4', run: b4 }], budgetS: 120 },
  { name: 'B5', drives: [B5_DRIVE], steps: [{ id: 'B5', run: b5 }], budgetS: 80 },
  { name: 'B6', drives: [B6_DRIVE], steps: [{ id: 'B6', run: b6 }], budgetS: 210 },
];

export function scenarioById(id: string): Scenario | undefined {
  for (const g of GROUPS) for (const s of g.steps) if (s.id === id) return s.run;
  return undefined;
}
