import type { LanguageCode } from '../../domain/languages';
import { ar } from './ar';
import { ca } from './ca';
import { da } from './da';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fi } from './fi';
import { fr } from './fr';
import { frCA } from './fr-CA';
import { it } from './it';
import { ja } from './ja';
import { ko } from './ko';
import { nl } from './nl';
import { ptBR } from './pt-BR';
import { ru } from './ru';
import { sr } from './sr';
import { sv } from './sv';
import type { Messages } from './types';
import { zhHans } from './zh-Hans';
import { zhHant } from './zh-Hant';

export type {
  CustomMessageMessages,
  EmailKind,
  ImportFinishedMessages,
  InvitationMessages,
  LoginLinkMessages,
  Messages,
  RegistrationConfirmationMessages,
  ReminderMessages,
} from './types';

/** Every language of the contract must have a catalog: a missing one is a compile error. */
export const MESSAGES: Readonly<Record<LanguageCode, Messages>> = {
  en,
  de,
  fr,
  es,
  nl,
  ru,
  'pt-BR': ptBR,
  ja,
  'zh-Hans': zhHans,
  'zh-Hant': zhHant,
  fi,
  it,
  'fr-CA': frCA,
  ko,
  ar,
  ca,
  da,
  sr,
  sv,
};
