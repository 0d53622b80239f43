/** Invitation mail over SMTP (nodemailer), when FLOWTRACE_SMTP_URL is set. */
import nodemailer from "nodemailer";
import type { Mailer } from "../services/invitations.ts";

export function createMailer(smtp: { url: string; from: string } | null): Mailer | null {
  if (!smtp) return null;
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message) {
      await transport.sendMail({ from: smtp.from, ...message });
    },
  };
}
