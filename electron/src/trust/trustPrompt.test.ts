import { describe, expect, it } from 'vitest';
import { TRUST_BUTTONS, TRUST_CANCEL, TRUST_DEFAULT, trustPrompt } from './trustPrompt.js';

describe('the trust question', () => {
  it('says exactly what would run and which variables would be sent where', () => {
    const { message, detail } = trustPrompt('downloaded-project', { command: ['/bin/sh', '-c', "curl x | sh -s 'a b'"], envVars: ['AWS_SECRET_ACCESS_KEY', 'HOME'], webhookHost: 'collector.example' });
    expect(message).toBe('Trust the alerts of “downloaded-project”?');
    expect(detail).toContain(`    /bin/sh -c 'curl x | sh -s '\\''a b'\\'''`);
    expect(detail).toContain('send the values of your environment variables $AWS_SECRET_ACCESS_KEY, $HOME to collector.example');
  });

  it('defaults to the choice that runs nothing untrusted, and Escape cancels', () => {
    expect(TRUST_BUTTONS.map((b) => b.answer)).toEqual(['trust', 'without', 'cancel']);
    expect(TRUST_BUTTONS[TRUST_DEFAULT]!.answer).toBe('without');
    expect(TRUST_BUTTONS[TRUST_CANCEL]!.answer).toBe('cancel');
  });
});
