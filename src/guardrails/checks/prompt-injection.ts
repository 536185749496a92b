/**
 * A prompt-injection heuristic: known jailbreak phrases and "ignore previous
 * instructions" patterns, each with a weight. The score is the chance that at
 * least one signal is right, 1 − Π(1 − weight) over the distinct signals
 * found; the check fails when it reaches the threshold. The text is NFKC-
 * normalised (full-width letters become ASCII) and zero-width characters are
 * removed first, so simple obfuscation does not hide a phrase.
 */
import type { CheckOf } from './check-schemas.js';
import { joinedText, type CheckOutcome, type CheckSubject } from './check-types.js';

interface Signal {
  readonly name: string;
  readonly weight: number;
  readonly pattern: RegExp;
}

const gap = "[^.!?\\n]{0,40}?";

export const injectionSignals: readonly Signal[] = [
  {
    name: 'ignore-previous-instructions',
    weight: 0.9,
    pattern: new RegExp(
      `\\b(?:ignore|disregard|forget|skip|override|overwrite)\\b${gap}\\b(?:previous|prior|above|earlier|preceding|initial|original|system|all|any|your)\\b${gap}\\b(?:instructions?|prompts?|rules|directions|guidelines|directives|context|commands|programming)\\b`,
      'iu',
    ),
  },
  {
    name: 'ignore-previous-instructions-translated',
    weight: 0.9,
    pattern:
      /ignor(?:e[zr]?|a)\s+(?:toutes\s+)?(?:les\s+|las\s+|le\s+|as\s+)?(?:todas\s+)?(?:las\s+|as\s+)?(?:instructions|instrucciones|istruzioni|instruções)\s+(?:précédentes|antérieures|anteriores|previas|precedenti)|ignorier(?:e|en sie)?\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen)\s+(?:anweisungen|instruktionen)|忽略(?:之前|以上|先前|上面|前面)的?(?:所有)?(?:指令|指示|说明|提示)|(?:以前|前|上記)の(?:すべての)?指示を(?:すべて)?無視/iu,
  },
  {
    name: 'reveal-system-prompt',
    weight: 0.7,
    pattern: new RegExp(`\\b(?:reveal|show|print|output|repeat|display|leak|dump|tell me)\\b${gap}\\b(?:system prompt|initial (?:prompt|instructions)|hidden (?:prompt|instructions)|instructions above|your instructions|developer (?:message|prompt))`, 'iu'),
  },
  { name: 'jailbreak-persona', weight: 0.6, pattern: /\b(?:DAN|do anything now|jailbr(?:eak|oken)(?:ed)?|evil confidant|AIM mode)\b/iu },
  // Names that also have innocent uses (a camera's developer mode) weigh less on their own.
  { name: 'special-mode', weight: 0.35, pattern: /\b(?:developer|god|unfiltered|unrestricted|debug) mode\b/iu },
  { name: 'unrestricted-role', weight: 0.6, pattern: new RegExp(`\\b(?:you are|you're|act as|pretend (?:to be|you are)|imagine you are|from now on,? you)\\b${gap}\\b(?:unrestricted|unfiltered|uncensored|no (?:longer )?(?:bound|restricted|limited)|without (?:any )?(?:restrictions|limits|limitations|filters|rules|ethics|guidelines))`, 'iu') },
  { name: 'no-restrictions', weight: 0.4, pattern: /\b(?:no longer|not) (?:bound|restricted|limited) by\b|\bwithout (?:any )?(?:restrictions|limitations|censorship|content polic(?:y|ies))\b/iu },
  { name: 'new-instructions', weight: 0.5, pattern: /\b(?:new|updated|real|actual|override) (?:instructions|system prompt|rules|directive)\s*:/iu },
  { name: 'chat-template-tokens', weight: 0.6, pattern: /<\|(?:im_start|im_end|system|endoftext|begin_of_text|start_header_id)\|>|\[\/?INST\]|<<\/?SYS>>|^\s*#{2,}\s*(?:system|instruction)s?\s*:?\s*$/imu },
  { name: 'bypass-safety', weight: 0.6, pattern: new RegExp(`\\b(?:bypass|circumvent|disable|turn off|get around|evade)\\b${gap}\\b(?:safety|content|moderation|ethical)?\\s*(?:filters?|guardrails?|restrictions|polic(?:y|ies)|guidelines|safeguards)\\b`, 'iu') },
];

const zeroWidth = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

export function normaliseForInjection(text: string): string {
  return text.normalize('NFKC').replace(zeroWidth, '').replace(/[ \t]+/g, ' ');
}

const extraPatterns = new WeakMap<CheckOf<'prompt_injection'>, readonly Signal[]>();

function signalsFor(check: CheckOf<'prompt_injection'>): readonly Signal[] {
  let signals = extraPatterns.get(check);
  if (!signals) {
    signals = [...injectionSignals, ...check.extra_patterns.map((source, index) => ({ name: `extra-${index + 1}`, weight: check.extra_weight, pattern: new RegExp(source, 'iu') }))];
    extraPatterns.set(check, signals);
  }
  return signals;
}

export function injectionScore(check: CheckOf<'prompt_injection'>, text: string): { score: number; signals: string[] } {
  const normalised = normaliseForInjection(text);
  const found = signalsFor(check).filter((signal) => signal.pattern.test(normalised));
  const score = 1 - found.reduce((remaining, signal) => remaining * (1 - signal.weight), 1);
  return { score: Math.round(score * 1000) / 1000, signals: found.map((signal) => signal.name) };
}

export function runPromptInjection(check: CheckOf<'prompt_injection'>, subject: CheckSubject): CheckOutcome {
  const { score, signals } = injectionScore(check, joinedText(subject));
  const passed = score < check.threshold;
  const found = signals.length > 0 ? ` (${signals.join(', ')})` : '';
  return { passed, explanation: `injection score ${score} ${passed ? 'below' : 'at or above'} the threshold ${check.threshold}${found}` };
}
