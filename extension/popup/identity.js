// An identity's fields (Bitwarden export shape, src/vault/records.rs `Identity`), in the order
// the item view and the editor show them, grouped as they are shown. `secret`: masked behind a
// reveal toggle (document numbers). Labels are functions so they are read in the popup's locale.
import { t } from "./i18n.js";

export const IDENTITY_GROUPS = [
  {
    heading: () => t("identityPersonal"),
    fields: [
      { key: "title", label: () => t("identityTitle") },
      { key: "firstName", label: () => t("firstName") },
      { key: "middleName", label: () => t("middleName") },
      { key: "lastName", label: () => t("lastName") },
      { key: "company", label: () => t("company") },
    ],
  },
  {
    heading: () => t("identityDocuments"),
    fields: [
      { key: "username", label: () => t("username") },
      { key: "ssn", label: () => t("ssn"), secret: true },
      { key: "passportNumber", label: () => t("passportNumber"), secret: true },
      { key: "licenseNumber", label: () => t("licenseNumber"), secret: true },
    ],
  },
  {
    heading: () => t("identityContact"),
    fields: [
      { key: "email", label: () => t("email"), input: "email" },
      { key: "phone", label: () => t("phone"), input: "tel" },
      { key: "address1", label: () => t("address1") },
      { key: "address2", label: () => t("address2") },
      { key: "address3", label: () => t("address3") },
      { key: "city", label: () => t("city") },
      { key: "state", label: () => t("stateRegion") },
      { key: "postalCode", label: () => t("postalCode") },
      { key: "country", label: () => t("country") },
    ],
  },
];

export const IDENTITY_FIELDS = IDENTITY_GROUPS.flatMap((g) => g.fields);
