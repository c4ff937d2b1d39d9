import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleNotifier, formatAlertForConsole } from '../../../functions/check/alerts/console-notifier.ts';
import { renderAlert } from '../../../functions/check/alerts/render-alert.ts';
import { criticalVerdict } from './sample-verdicts.ts';

describe('ConsoleNotifier', () => {
  describe('send', () => {
    it('writes the subject, attributes, SMS and e-mail to its stream', async () => {
      // Prepare
      const stream = new PassThrough();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      const alert = renderAlert(criticalVerdict);

      // Act
      await new ConsoleNotifier(stream).send(alert, criticalVerdict);

      // Assess
      const text = Buffer.concat(chunks).toString('utf8');
      expect(text).toBe(formatAlertForConsole(alert));
      expect(text).toContain(`Subject:    ${alert.subject}\n`);
      expect(text).toContain('Attributes: state=firing severity=critical status=CRITICAL portal=acme-prod codes=RETENTION_TOO_LOW,BACKUP_OVERDUE,ARCHIVE_MISSING\n');
      expect(text).toContain(`SMS:        ${alert.sms}\n`);
      expect(text).toContain(alert.email.trimEnd());
    });
  });
});
