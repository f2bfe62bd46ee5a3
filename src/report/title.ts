/**
 * The case's name, the report's title: `name` in the case's settings (case.json). A case without
 * one is called by its folder's name, and the report says how to name it.
 */
import path from 'node:path';
import { readSettings } from '../case/settings.ts';

export interface CaseTitle {
  name: string;
  /** false: `name` is the folder's, standing in for a name case.json does not give. */
  named: boolean;
}

export function caseTitle(caseDir: string): CaseTitle {
  const name = readSettings(caseDir).name;
  return name
    ? { name, named: true }
    : { name: path.basename(path.resolve(caseDir)), named: false };
}
