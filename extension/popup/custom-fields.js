// Custom fields: their types, and the fields of its own item a linked field (type 3) can point
// at, by the `linkedId` numbers Bitwarden's clients use, so a linked field made here reads the
// same in Bitwarden and back. Numbers from the official clients' LinkedIdType enums
// (LoginLinkedId, CardLinkedId, IdentityLinkedId: bitwarden/clients and bitwarden/android
// src/Core/Enums/LinkedIdType.cs). Identity numbers are not in the form's order: Title 400,
// MiddleName 401, the address and contact fields 402-415, FirstName 416, LastName 417,
// FullName 418.
import { t } from "./i18n.js";
import { TYPE_LOGIN, TYPE_CARD, TYPE_IDENTITY } from "./items.js";

export const FIELD_TEXT = 0;
export const FIELD_HIDDEN = 1;
export const FIELD_BOOLEAN = 2;
export const FIELD_LINKED = 3;

/** The field types a user can add, with their labels. */
export const FIELD_TYPES = [
  { type: FIELD_TEXT, label: () => t("fieldTypeText") },
  { type: FIELD_HIDDEN, label: () => t("fieldTypeHidden") },
  { type: FIELD_BOOLEAN, label: () => t("fieldTypeBoolean") },
  { type: FIELD_LINKED, label: () => t("fieldTypeLinked") },
];

// Per item type, [linkedId, label] in the order the editor lists them.
const LINKED = {
  [TYPE_LOGIN]: [
    [100, () => t("username")],
    [101, () => t("password")],
  ],
  [TYPE_CARD]: [
    [300, () => t("cardholderName")],
    [304, () => t("cardBrand")],
    [305, () => t("cardNumber")],
    [301, () => t("expMonth")],
    [302, () => t("expYear")],
    [303, () => t("securityCode")],
  ],
  [TYPE_IDENTITY]: [
    [400, () => t("identityTitle")],
    [416, () => t("firstName")],
    [401, () => t("middleName")],
    [417, () => t("lastName")],
    [418, () => t("fullName")],
    [409, () => t("company")],
    [413, () => t("username")],
    [412, () => t("ssn")],
    [414, () => t("passportNumber")],
    [415, () => t("licenseNumber")],
    [410, () => t("email")],
    [411, () => t("phone")],
    [402, () => t("address1")],
    [403, () => t("address2")],
    [404, () => t("address3")],
    [405, () => t("city")],
    [406, () => t("stateRegion")],
    [407, () => t("postalCode")],
    [408, () => t("country")],
  ],
};

/** The fields a linked field of an item of `itemType` can point at: [{id, label}] (none for notes). */
export function linkedTargets(itemType) {
  return (LINKED[itemType] ?? []).map(([id, label]) => ({ id, label: label() }));
}

/** The label of the field `linkedId` names, or null when this item type has no such field. */
export function linkedLabel(itemType, linkedId) {
  const hit = (LINKED[itemType] ?? []).find(([id]) => id === linkedId);
  return hit ? hit[1]() : null;
}
