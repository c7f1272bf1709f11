export { Alerts, type AlertsOptions } from './alerts.js';
export {
  createTransport,
  MailSendError,
  SendGridTransport,
  SmtpTransport,
  DEFAULT_SENDGRID_URL,
  type MailMessage,
  type MailTransport,
  type SendGridOptions,
  type SmtpOptions,
} from './transport.js';
export { LISTED_FAILURES, type MassDeleteFact, type ProblemKey } from './compose.js';
