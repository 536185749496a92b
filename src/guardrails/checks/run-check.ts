/** Runs one check on a subject: the one switch over check types. */
import type { TextSpan } from '../span.js';
import { checkName, type Check } from './check-schemas.js';
import { joinedText, type CheckOutcome, type CheckSubject } from './check-types.js';
import { runContainsCode } from './contains-code.js';
import { runContains, wordSpans } from './contains-words.js';
import { runJsonKeys, runJsonSchema, runJsonValid } from './json-checks.js';
import type { JudgeRunner } from './llm-judge.js';
import { piiSpans, runPii } from './pii-check.js';
import { runPromptInjection } from './prompt-injection.js';
import { regexSpans, runRegex } from './regex.js';
import { runModelAllowList, runRequestTypes, runRequiredMetadata } from './request-rules.js';
import { runCount } from './text-counts.js';
import { runEndsWith, runLetterCase } from './text-shape.js';
import { runValidUrls } from './valid-urls.js';
import type { WebhookClient } from './webhook.js';

export interface CheckServices {
  readonly webhooks: WebhookClient;
  /** Undefined when no judge was given (a judge check is then refused when the config is read). */
  readonly judges: JudgeRunner | undefined;
}

export function runCheck(check: Check, subject: CheckSubject, services: CheckServices, guardrail: string): CheckOutcome | Promise<CheckOutcome> {
  switch (check.type) {
    case 'regex':
      return runRegex(check, subject);
    case 'contains':
      return runContains(check, subject);
    case 'word_count':
    case 'sentence_count':
    case 'character_count':
      return runCount(check, subject);
    case 'json_valid':
      return runJsonValid(check, subject);
    case 'json_schema':
      return runJsonSchema(check, subject);
    case 'json_keys':
      return runJsonKeys(check, subject);
    case 'valid_urls':
      return runValidUrls(check, subject);
    case 'contains_code':
      return runContainsCode(check, subject);
    case 'letter_case':
      return runLetterCase(check, subject);
    case 'ends_with':
      return runEndsWith(check, subject);
    case 'model_allow_list':
      return runModelAllowList(check, subject);
    case 'required_metadata':
      return runRequiredMetadata(check, subject);
    case 'request_types':
      return runRequestTypes(check, subject);
    case 'pii':
      return runPii(check, subject);
    case 'prompt_injection':
      return runPromptInjection(check, subject);
    case 'webhook':
      return services.webhooks.run(check, {
        guardrail,
        check: checkName(check),
        stage: subject.side,
        request_type: subject.requestType,
        model: subject.model,
        text: subject.segments,
        metadata: subject.metadata,
        ...(subject.principal?.keyId === undefined ? {} : { key_id: subject.principal.keyId }),
        ...(subject.principal?.teamId === undefined ? {} : { team_id: subject.principal.teamId }),
        request: subject.request,
        ...(subject.response === undefined ? {} : { response: subject.response }),
      });
    case 'llm_judge':
      if (!services.judges) return { passed: false, explanation: 'no judge is configured' };
      return services.judges.run(check, joinedText(subject));
    default: {
      const unreachable: never = check;
      throw new Error(`unknown check ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Checks whose failures are stretches of text that `redact` can replace. */
export type RedactingCheck = Extract<Check, { type: 'pii' | 'regex' | 'contains' }>;

export function isRedactingCheck(check: Check): check is RedactingCheck {
  return check.type === 'pii' || (check.type === 'regex' && check.not) || (check.type === 'contains' && check.operator === 'none');
}

export function redactableSpans(check: RedactingCheck, text: string): TextSpan[] {
  switch (check.type) {
    case 'pii':
      return piiSpans(check, text);
    case 'regex':
      return regexSpans(check, text);
    case 'contains':
      return wordSpans(check, text);
    default: {
      const unreachable: never = check;
      throw new Error(`unknown redacting check ${JSON.stringify(unreachable)}`);
    }
  }
}
