//! Every diagnostic code, its name and its explanation (`mou check --explain CODE`).
//! Each code is a constant made by the table below, and a diagnostic can only be made
//! from one of them, so a code without an explanation, or a mistyped code, does not
//! compile.

/// A diagnostic code: stable id, short name, explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// `E0103`: errors `E`, warnings `W`.
    pub id: &'static str,
    /// `unknown-key`.
    pub name: &'static str,
    pub explanation: &'static str,
}

macro_rules! codes {
    ($($id:ident $name:literal $text:literal;)*) => {
        $(
            #[doc = $name]
            pub const $id: Code = Code {
                id: stringify!($id),
                name: $name,
                explanation: $text,
            };
        )*
        /// Every code, in order.
        pub const CODES: &[Code] = &[$($id),*];
    };
}

codes! {
    E0001 "unreadable-file"
        "A profile or folder named on the command line could not be read: it does not exist (the help line names the closest file in that folder), it is not a regular file (a FIFO or a device), permissions forbid it, or it is a symbolic link inside a profile folder that points outside it (never followed, so a link to `~/.env` cannot be read into an error message).\n\nExample: `mou build profiles/tacoma-2012.toml` when the folder holds only tacoma-2021.toml.\nFix: correct the path (the help line names `profiles/tacoma-2021.toml`), or name the file a link points to on the command line.";
    E0002 "profile-too-large"
        "Profiles over 1 MiB are refused before parsing. A real agreement profile is a few kilobytes; a larger one is almost certainly the wrong file.\n\nExample: `mou check profiles/district.toml`, where that file is a 2 MiB data export saved with a .toml name.\nFix: name the agreement's own profile instead, or cut the file down to the profile's keys.";
    E0003 "not-utf8"
        "Profiles and clause files must be UTF-8. The position points at the first byte that is not.\n\nExample: a profile saved as Latin-1, so `name = \"Tomás Rivera Elementary\"` holds the byte 0xE1.\nFix: save the file as UTF-8 (`iconv -f LATIN1 -t UTF-8 old.toml > new.toml`).";
    E0101 "toml-syntax"
        "The file is not valid TOML. Common causes: a missing closing quote, a bare word where a string is meant (`state = CT` instead of `state = \"CT\"`), or a key set twice.\n\nExample: `state = CT` under [agreement].\nFix: quote the text: `state = \"CT\"`.";
    E0102 "wrong-type"
        "A value has the wrong type: text where a number is expected, a date-time where a date is expected (`2022-08-09`, not `2022-08-09T10:00:00`), and so on.\n\nExample: `date = 2022-08-09T10:00:00` under [agreement].\nFix: give the date alone: `date = 2022-08-09`.";
    E0103 "unknown-key"
        "A key is not part of the profile (or front matter) schema. Keys are fixed so that a typo such as `monhts` is caught instead of silently ignored; the help line suggests the closest valid key.\n\nExample: `monhts = 10` under [funding].\nFix: correct the key to the one the help line suggests (`months`).";
    E0104 "invalid-value"
        "A value must be one of a fixed set (status, kind, level, renewal, indemnity, overtime, billing). The help line lists the valid values.\n\nExample: `status = \"signed\"` under [agreement].\nFix: use one of the values the help line lists: `status = \"final\"` or `status = \"draft\"`.";
    E0105 "missing-key"
        "A required key or table is missing: every profile needs [agreement] with state and status, [school], [agency] with kind, at least one [[schools]], [term] and [funding]; [insurance] is needed only when an insurance clause is in the agreement.\n\nExample: an [agreement] table with `status = \"final\"` but no `state` line.\nFix: add the key the message names: `state = \"CT\"` under [agreement].";
    E0110 "invalid-id"
        "Agreement ids (and outline names) become file names, so they are limited to lower-case letters, digits and '-'. Without `agreement.id` the id is the file name, which must then follow the same rule.\n\nExample: `id = \"West Hartford\"` under [agreement].\nFix: `id = \"west-hartford-2022\"` (or rename the file, if it gives the id).";
    E0111 "invalid-state"
        "`agreement.state` is a two-letter upper-case postal code such as \"CT\"; it selects state clause variants and the rules in clauses/rules/<STATE>.toml.\n\nExample: `state = \"Connecticut\"` under [agreement].\nFix: the postal code: `state = \"CT\"`.";
    E0112 "no-schools"
        "An agreement must list at least one school under [[schools]], each with a non-empty name.\n\nExample: `name = \"\"` in a [[schools]] entry.\nFix: give each school its name (`name = \"Hall High School\"`), and list at least one.";
    E0113 "too-many-schools"
        "More than 1,000 schools is refused as a limit against runaway input.\n\nExample: 1,001 [[schools]] entries in one profile.\nFix: list only the schools this agreement covers, at most 1,000; split a larger program into several agreements.";
    E0114 "duplicate-school"
        "The same school is listed twice (names compared without case); the officers table would double-count it.\n\nExample: `name = \"Hall High School\"` in one [[schools]] entry and `name = \"hall high school\"` in another.\nFix: remove the second entry, and give the first the `officers` of both.";
    E0115 "duplicate-id"
        "Two profiles of one build have the same agreement id and would write the same output files. Both files are named; give one an explicit `agreement.id`.\n\nExample: profiles/other.toml sets `id = \"agreement\"` and profiles/agreement.toml has no id (so its file name is its id); `mou build profiles` builds both.\nFix: give one an id of its own: `id = \"other\"` under [agreement] in profiles/other.toml.";
    E0116 "too-many-officers"
        "More than 1,000 officers at one school is refused as a limit against runaway input (and so that the agreement's total can never overflow).\n\nExample: `officers = 4000000000` in a [[schools]] entry.\nFix: the number of officers assigned to that school (`officers = 2`).";
    E0117 "control-character"
        "Profile values are single lines of text. A line break (`\\n` in a TOML string, or a multi-line string) would add a line, a party or a signature block to the document; a control character such as `\\u0000` or `\\u001b` has no place in an agreement and breaks the XML inside PDF and DOCX files.\n\nExample: `title = \"Chief\\nof Police\"` in a signatory (the `\\n` escape).\nFix: write each line of an address as its own list entry (`notice_address = [\"103 Raymond Road\", \"West Hartford, CT 06107\"]`), and remove the escape (`title = \"Chief of Police\"`).";
    E0120 "term-order"
        "`term.end` must be after `term.start`, and a term may run at most 50 years (the limit the payment schedule is derived for).\n\nExample: `start = 2022-08-09` and `end = 2022-06-30` under [term].\nFix: set `end` to the last day of the term, after `start` (`end = 2023-06-30`); for 50 years or more, use a shorter term and `renewal`.";
    E0121 "zero-notice"
        "A termination notice period of zero days is not a notice period.\n\nExample: `termination_notice_days = 0` under [term].\nFix: the days of written notice a party must give, e.g. `termination_notice_days = 30`.";
    E0130 "bad-amount"
        "Money is a non-negative number of US dollars below one trillion.\n\nExample: `annual_cost = -182000` under [funding] (or `nan`, or `1e300`).\nFix: the amount in dollars: `annual_cost = 182000.00`.";
    E0131 "bad-percent"
        "Percentages (school share, installment percents, annual increase) must be from 0 to 100.\n\nExample: `school_share_percent = 170` under [funding].\nFix: a percent from 0 to 100: `school_share_percent = 70`.";
    E0132 "bad-months"
        "`funding.months` is the number of months of service billed per year: 1 to 12.\n\nExample: `months = 13` under [funding].\nFix: the months of service billed each year, e.g. `months = 10` for a school year.";
    E0133 "billing-installments"
        "`billing = \"installments\"` needs an `installments` list, and an installments list needs that billing value.\n\nExample: `billing = \"quarterly\"` under [funding] with an `installments` list.\nFix: set `billing = \"installments\"` to bill by the list, or remove the list to bill quarterly.";
    E0134 "installment-order"
        "Installments must be listed in order of their due dates.\n\nExample: `installments = [{ due = 2023-05-01, percent = 50 }, { due = 2022-11-01, percent = 50 }]`.\nFix: list them by due date: the 2022-11-01 installment first.";
    E0135 "installment-sum"
        "Installment percents must add up to exactly 100, so the schedule pays the school's whole share.\n\nExample: `installments = [{ due = 2022-11-01, percent = 50 }, { due = 2023-05-01, percent = 49 }]`.\nFix: make the percents add up to 100 (`percent = 50` for the second).";
    E0136 "aggregate-limit"
        "An insurance aggregate limit below the per-occurrence limit is impossible: the aggregate caps all occurrences together.\n\nExample: `per_occurrence_limit = 1000000` and `aggregate_limit = 500000` under [insurance].\nFix: the aggregate from the certificate of insurance, at least the per-occurrence limit (`aggregate_limit = 3000000`).";
    E0137 "value-of-other-model"
        "A funding value that the agreement's pricing model, billing or overtime choice does not use would be silently left out of the text. `annual_cost` belongs to model = \"share\", `school_amount` and `years` to \"fixed\", `per_officer_amount` to \"per-officer\", `estimated_annual_cost` to \"actual-cost\", `school_share_percent` to \"share\" and \"actual-cost\"; `overtime_share_percent` needs overtime = \"shared\"; `first_due` and `billing_timing = \"arrears\"` need a derived schedule (not billing = \"installments\"), and so does model = \"actual-cost\", whose periods are billed after they are served. The help line names the model the value belongs to.\n\nExample: `school_amount = 72000.00` under [funding] with model = \"share\" (the default).\nFix: `model = \"fixed\"` if the school pays a set sum each year (and remove `annual_cost` and `school_share_percent`), or remove `school_amount`.";
    E0138 "years-and-increase"
        "`years` lists the school's amount for each contract year; an `annual_increase_percent` beside it would say two different things about the same years.\n\nExample: `years = [207078.08, 210128.24, 213310.85]` and `annual_increase_percent = 3.0` under [funding].\nFix: remove `annual_increase_percent` (the listed amounts already include the steps), or remove `years` to derive later years by the increase.";
    E0139 "unknown-payee"
        "`funding.payee` names the party the school pays, by the name or short name of a party to the agreement (the agency, or a further party); it names no party, or names the school party itself. The help line lists the parties.\n\nExample: `payee = \"the Town\"` under [funding] when the agency's short name is \"the Department\".\nFix: name a party as the profile does: `payee = \"the Department\"` (or remove `payee` to pay the agency).";
    E0140 "bad-version-requirement"
        "Clause version requirements use Cargo's syntax: \"^2\", \"=1.0.0\", \">=1.1, <2\".\n\nExample: `training = \"~> 2.0\"` under [clauses.versions].\nFix: write the requirement in Cargo's syntax: `training = \"^2\"`.";
    E0150 "unknown-outline"
        "`agreement.outline` names clauses/outlines/<name>.toml, which does not exist.\n\nExample: `outline = \"standard\"` under [agreement], when the library has only clauses/outlines/mou.toml.\nFix: name an outline that exists (`outline = \"mou\"`), or remove the key to use the default, mou.";
    E0151 "clause-not-in-outline"
        "`[clauses] include`, `exclude`, `versions` or `variants` names a clause the outline does not list (nor an `insert` adds). Only optional clauses of the outline can be included.\n\nExample: `include = [\"data-colection\"]` under [clauses].\nFix: correct the id to the one the help line suggests (`data-collection`).";
    W0151 "include-not-optional"
        "An included clause is always part of the outline, so including it changes nothing.\n\nExample: `include = [\"funding\"]` under [clauses]: the outline always has `funding`.\nFix: remove `funding` from `include`.";
    E0152 "outline-missing-clause"
        "An outline lists a clause id for which the library has no files.\n\nExample: `clause = \"purpse\"` in clauses/outlines/mou.toml.\nFix: correct it to the clause's folder name (`clause = \"purpose\"`), or add the clause as clauses/purpse/1.0.0.md.";
    E0153 "no-version"
        "No version of a clause satisfies the profile's requirement and serves the profile's state. The help line lists the versions that exist, with their states.\n\nExample: `training = \"=2.0.0\"` under [clauses.versions] in a CT profile: training 2.0.0 serves only KY.\nFix: require a version the help line lists for the state (`training = \"^2.1\"`), or remove the requirement.";
    E0154 "unknown-variant"
        "`[clauses] variants` names a variant the clause does not have in the layer that provides it (variants are folders clauses/<id>/<variant>/). The help line lists the variants that exist.\n\nExample: `variants = { appointment = \"agency-select\" }` under [clauses].\nFix: name a variant the help line lists (`appointment = \"agency-selects\"`), or remove the entry for the standard text.";
    E0155 "unknown-insert-anchor"
        "An `[clauses] insert` entry places its clause `after` or `before` an entry that the agreement's outline does not have.\n\nExample: `insert = [{ clause = \"canine\", after = \"dutie\" }]` under [clauses].\nFix: name an entry of the outline (the help line suggests one): `after = \"duties\"`.";
    E0156 "invalid-insert"
        "An `[clauses] insert` entry must name a clause that some layer of the library has (the profile's overlay, clauses/, a library of mou.toml) and that the outline does not already list, with exactly one of `after` and `before`.\n\nExample: `insert = [{ clause = \"canine\" }]` under [clauses].\nFix: say where it goes: `insert = [{ clause = \"canine\", after = \"duties\" }]`.";
    E0158 "overlay-missing"
        "`[clauses] local` names the agreement's overlay folder, relative to the profile's folder, and that folder does not exist, or is outside the profile's folder (an absolute path or one with `..` is refused).\n\nExample: `local = \"tacoma.clause\"` under [clauses] when the folder is profiles/tacoma.clauses/.\nFix: correct the folder name, or remove `local` to use the default `<profile stem>.clauses/`.";
    W0152 "overlay-clause-unused"
        "An overlay folder holds a clause that the agreement does not use: its id is in no outline and not inserted, or it is an optional clause not included. Overlay clauses usually exist to be used, so this is most often a missing `insert` or a misspelled folder.\n\nExample: profiles/seminole.clauses/canine-unit/1.0.0.md without an insert of `canine-unit`.\nFix: `insert = [{ clause = \"canine-unit\", after = \"duties\" }]` under [clauses], or remove the folder.";
    E0160 "lock-file"
        "`mou build --locked` compares the clause versions it would choose with `mou.lock` (or `--lockfile`), and that file cannot be read, is not a valid lock file (the position points at the problem), or was written by a `mou` with another lock format.\n\nExample: `mou build --locked` in a project without mou.lock.\nFix: run `mou lock` to write it (again), and commit it.";
    E0161 "base-profile-unreadable"
        "A profile's `extends` names a base profile that cannot be read: it does not exist, is not a regular file, is larger than 1 MiB or is not UTF-8. The path is relative to the folder of the profile that names it.\n\nExample: `extends = \"guilford-base.toml\"` in profiles/guilford-sheriff.toml when the base is profiles/bases/guilford-base.toml.\nFix: correct the path: `extends = \"bases/guilford-base.toml\"`.";
    E0162 "base-profile-cycle"
        "Profiles that extend one another in a cycle (a extends b, b extends a), or a chain of more than 8 bases. Each profile's values would depend on themselves.\n\nExample: guilford-base.toml says `extends = \"guilford-sheriff.toml\"`, which extends guilford-base.toml.\nFix: remove `extends` from the base: a base holds the shared terms and extends nothing (or a shorter chain).";
    W0163 "overlapping-agreements"
        "`check` over several profiles found two agreements of the same school party whose terms overlap and that both cover the same school: one school would be served, and paid for, under two agreements at once. Often a renewal that kept the old term, or a school copied into the wrong agreement.\n\nExample: tacoma-2021.toml and tacoma-2022.toml both list Lincoln High School, for terms 2021-09-01 to 2022-08-31 and 2022-07-01 to 2023-06-30.\nFix: correct the term (the renewal starts the day after the old one ends) or the school list; if two agencies really share a school, say so in each agreement and ignore the warning.";
    E0170 "department-and-government"
        "The agency is named in two ways at once. v2: `name` is the legal entity that contracts and `department` the department it acts through (\"the City of La Porte, acting through the La Porte Police Department\"). v1: `name` is the department itself and `government` the entity it belongs to. The two forms cannot be mixed.\n\nExample: `name = \"City of La Porte\"`, `department = \"La Porte Police Department\"` and `government = \"City of La Porte\"` under [agency].\nFix: remove `government` (v2 form), or remove `department` and make `name` the department (v1 form).";
    E0171 "signatory-twice"
        "A party gives both the v1 shorthand `signatory = { name, title }` and the v2 list `signatories`. Only one can say who signs.\n\nExample: `signatory = { name = \"Louis Rigby\", title = \"Mayor\" }` and `[[agency.signatories]]` entries under [agency].\nFix: move the shorthand's person into the list as `{ name = \"Louis Rigby\", title = \"Mayor\", role = \"signs\" }` and remove `signatory`.";
    E0172 "no-signer"
        "A party's `signatories` list has no one with role = \"signs\". Attesting, approving as to form and the preaudit certificate sit beside a signature; they do not bind the party.\n\nExample: `signatories = [{ name = \"Lee Woodward\", title = \"City Secretary\", role = \"attests\" }]` under [agency].\nFix: add the person who signs for the party: `{ name = \"Louis Rigby\", title = \"Mayor\", role = \"signs\" }`.";
    E0173 "signatory-not-a-name"
        "A final agreement gives, as a signatory's name, a role (\"Board President\", \"Superintendent\"), a placeholder (\"TBD\", \"[name]\") or the signatory's own title. The signature page would print it as if it were the person who signs.\n\nExample: `signatory = { name = \"Board President\", title = \"President\" }` under [school] with status = \"final\".\nFix: give the person's name (`name = \"Amy Lockhart\"`), or keep status = \"draft\" and leave `name` out until it is known (it prints as a blank).";
    W0173 "signatory-not-a-name-draft"
        "A draft gives, as a signatory's name, a role, a placeholder or the signatory's own title. It would be an error in a final agreement (E0173).\n\nExample: `signatory = { name = \"TBD\", title = \"Mayor\" }` under [agency] in a draft.\nFix: give the person's name, or leave `name` out: a draft prints a missing name as a blank.";
    E0174 "preaudit-state"
        "A signatory has role = \"preaudit\", but the library has the wording of a preaudit certificate only for North Carolina, and the agreement is in another state. The North Carolina certificate is the one G.S. 159-28 prescribes for counties and cities and G.S. 115C-441 for school units.\n\nExample: `{ name = \"Ann Lee\", title = \"Finance Director\", role = \"preaudit\" }` in a profile with state = \"TX\".\nFix: remove the preaudit signatory, or write the certificate your state requires in the agreement's own clause text.";
    E0175 "renewal-options"
        "`renewal = \"options\"` and `extensions` go together: options need the number of extensions, their length in years and who may exercise them; `extensions` with another renewal form would never be read. Count and years are from 1 to 10.\n\nExample: `renewal = \"options\"` under [term] with no `extensions`.\nFix: `extensions = { count = 2, years = 1, exercised_by = \"school\", notice_days = 60 }`.";
    E0176 "renewal-notice"
        "`renewal_notice_days` is the notice of non-renewal of an automatic renewal: it is given only with renewal = \"automatic\", and like any notice it is at least one day.\n\nExample: `renewal = \"annual\"` and `renewal_notice_days = 60` under [term].\nFix: set renewal = \"automatic\", or remove `renewal_notice_days`.";
    E0177 "empty-party-name"
        "A further party under [[parties]] has an empty name. The name is the legal entity that signs (\"County of Guilford\"): it heads its signature block and its notice address, and is named in the recitals.\n\nExample: `name = \"\"` in a [[parties]] entry.\nFix: give the entity's full legal name: `name = \"County of Guilford\"`.";
    E0178 "duplicate-short-name"
        "Two parties have the same short name (compared without case). Every sentence that names one of them by it (\"the County will pay…\") could mean either.\n\nExample: `short_name = \"the County\"` under [agency] (a county acting through its sheriff's office) and under a [[parties]] entry.\nFix: give each party its own: `short_name = \"the Sheriff\"` under [agency].";
    E0190 "bad-role"
        "A `[[staffing.roles]]` entry needs a title, a count from 1 to 1,000, and names in `schools` that match [[schools]] entries (compared without case).\n\nExample: `schools = [\"Baker Campus\"]` in a role when the [[schools]] entry is named \"Baker 6th Grade Campus\".\nFix: name the school exactly as its [[schools]] entry does (`schools = [\"Baker 6th Grade Campus\"]`).";
    E0191 "bad-hours"
        "Hours must be possible: `staffing.hours_per_week` from 1 to 168, a role's `hours_per_year` from 1 to 8,784.\n\nExample: `hours_per_week = 400` under [staffing].\nFix: the regular workweek of an officer (`hours_per_week = 40`).";
    E0192 "bad-payment-terms"
        "`funding.payment_terms_days`, the days after an invoice within which it is paid, is 1 to 365.\n\nExample: `payment_terms_days = 0` under [funding].\nFix: the days the agreement allows to pay an invoice (`payment_terms_days = 30`).";
    E0193 "term-basis-conflict"
        "With `amount_basis = \"term\"` the amounts are for the whole term at once, so `years` and `annual_increase_percent`, which price contract years one by one, do not apply.\n\nExample: `amount_basis = \"term\"` and `annual_increase_percent = 3` under [funding].\nFix: remove the per-year key, or set `amount_basis = \"year\"` if the amounts are per contract year.";
    W0190 "payment-before-signing"
        "A payment of the schedule falls due before the agreement's date (`agreement.date`): a schedule derived from a term that began before signature puts the first payments in the past. Say when payments start with `first_due`, which silences this warning, or correct the dates.\n\nExample: `date = 2023-10-03` under [agreement], a term from 2023-08-01, and billing = \"monthly\" (payments due August 1 and September 1, 2023).\nFix: `first_due = 2023-10-31` under [funding], the date the first payment is actually due.";
    W0191 "arrears-due-early"
        "With `billing_timing = \"arrears\"` a payment is invoiced after the period it pays for, but a payment of the schedule falls due before that period ends (usually a `first_due` too early).\n\nExample: `billing_timing = \"arrears\"`, quarterly billing from 2024-07-01, and `first_due = 2024-08-01` (the first quarter ends 2024-09-30).\nFix: a `first_due` after the first period ends (`first_due = 2024-10-31`), or remove it to invoice each period when it ends.";
    W0192 "years-length"
        "`funding.years` should list one amount for each contract year of the term; a shorter list leaves the later years without an amount, and a longer one lists amounts no year uses.\n\nExample: `years = [207078.08, 210128.24]` for a term from 2023-07-01 to 2026-06-30 (three contract years).\nFix: list one amount per contract year (`years = [207078.08, 210128.24, 213310.85]`), or correct the term.";
    W0193 "partial-term-priced-per-year"
        "The term is shorter than the months of service of a year, but the amounts are per contract year (`amount_basis = \"year\"`, the default): the whole yearly amount would be charged for the shorter term.\n\nExample: a term from 2026-01-05 to 2026-05-29 with `school_amount = 30000.00` and `months = 10`.\nFix: `amount_basis = \"term\"` if the amount is for the term, or give the yearly amount for a term of a full year of service.";
    E0200 "no-library"
        "The clause library folder does not exist; pass --library DIR.\n\nExample: `mou check --library clause` (the folder is clauses).\nFix: `--library clauses`, or the path of the clause library folder.";
    E0201 "front-matter-missing"
        "A clause file starts with a `+++` line, TOML front matter, and a closing `+++` line.\n\nExample: a clause file that starts with `title = \"Notices\"` instead of a `+++` line.\nFix: put a `+++` line before the front matter and another after it.";
    E0202 "front-matter-invalid"
        "The front matter is not valid TOML, a value has the wrong type, or a `states` entry is not \"*\" or a two-letter state.\n\nExample: `states = [\"Connecticut\"]` in the front matter.\nFix: the two-letter code (`states = [\"CT\"]`), or `[\"*\"]` for every state.";
    E0203 "front-matter-unknown-key"
        "Front matter keys are title, summary, tags, states, changes, and optionally id and version.\n\nExample: `tagz = [\"notices\"]` in the front matter.\nFix: correct the key to one the message lists (`tags`).";
    E0204 "clause-id"
        "A clause folder name is not a valid id ([a-z0-9-]), or the front matter's `id` disagrees with the folder.\n\nExample: `id = \"termination\"` in the front matter of clauses/notices/2.0.0.md.\nFix: remove the `id` line (the folder gives the id), or move the file to clauses/termination/.";
    E0205 "clause-version"
        "A clause file name is not a semantic version (`1.2.0.md`), or the front matter's `version` disagrees with it.\n\nExample: a clause file named clauses/notices/2.0.md.\nFix: all three numbers: rename it to 2.0.0.md.";
    E0206 "duplicate-version"
        "Two files define the same version of one clause.\n\nExample: clauses/notices/1.0.0.md and clauses/notices/1.0.0+copy.md (build metadata after `+` does not make another version).\nFix: give the new text the next version (`1.0.1.md`), or delete the copy.";
    E0207 "outline-duplicate"
        "An outline lists the same clause twice.\n\nExample: two [[article]] entries with `clause = \"recitals\"` in clauses/outlines/mou.toml.\nFix: remove the second entry.";
    E0208 "file-too-large"
        "Clause, outline and rules files over 1 MiB are refused.\n\nExample: a whole statute, 2 MiB of text, pasted into clauses/notices/1.0.0.md.\nFix: keep the agreement's own text in the clause, and cite the statute instead of copying it.";
    E0209 "unreadable-library-file"
        "A library file could not be read, a symbolic link loop was found (loops are reported, not followed), or a symbolic link points outside the library (not followed, so no file elsewhere is read or quoted).\n\nExample: clauses/rules/CT.toml is a symbolic link to a file outside clauses/.\nFix: copy the file into the library instead of linking to it.";
    E0210 "template-syntax"
        "A clause body is not a valid Tera template; the position is in the clause file.\n\nExample: `Notice {{ school.name ` in a clause (the `}}` is missing).\nFix: close the tag: `{{ school.name }}`.";
    E0211 "template-render"
        "A clause template failed while rendering for this profile: an undefined variable, a filter given the wrong kind of value, and so on.\n\nExample: `{{ school.name | round }}` (`round` needs a number).\nFix: give the filter a value of its kind (`{{ funding.annual_cost | round }}`), or remove it.";
    E0212 "unknown-variable"
        "A clause template uses a variable path the profile schema does not have (for example `term.strat`). Checked for every branch, not only the branches this profile takes.\n\nExample: `{{ term.strat }}` in a clause.\nFix: correct the path to the one the help line suggests (`term.start`).";
    E0213 "clause-output-too-large"
        "A clause rendered to more than the output limit (1 MiB by default; `--max-clause-output BYTES` changes it). Rendering stops at the limit, so a runaway loop ends quickly instead of filling memory.\n\nExample: `{% for i in range(end=100000) %}All work and no play. {% endfor %}`.\nFix: loop over the profile's lists (`{% for s in schools %}`), not a large range; for a clause that really is that long, raise `--max-clause-output`.";
    E0214 "loop-limit"
        "The loops of one clause ran more than 1,000,000 iterations in all (nested loops multiply). Every `{% for %}` is metered, so a loop nest that would spin for hours stops with this error.\n\nExample: `{% for i in range(end=2000) %}{% for j in range(end=2000) %}{% endfor %}{% endfor %}`.\nFix: loop over the profile's lists (`schools`, `funding.installments`), not over large ranges.";
    E0215 "render-memory"
        "Rendering one clause took more than 64 MiB of memory (or 8 times the output limit, if that is larger), for example a value doubled again and again (`{% set s = s ~ s %}`). The run stops with exit code 1; outputs already written stay as they were.\n\nExample: `{% set s = \"0123456789\" %}` followed by `{% set s = s ~ s %}` 40 times.\nFix: build the text from the profile's values once; do not double a value.";
    E0216 "template-construct-refused"
        "Clause templates may not use list comprehensions (`[x for x in xs]`) or components: they could loop or recurse past the loop meter. Use `{% for %}` instead.\n\nExample: `{{ [s for s in schools] | length }}`.\nFix: `{{ schools | length }}`, or a `{% for s in schools %}` loop.";
    E0220 "include-cycle"
        "A clause includes itself, directly or through other clauses (`{% include %}` or `{% extends %}`), so it could never finish. Each clause on the cycle is reported at the include that continues it, with the chain, for example `include cycle: notices@2.0.0 → zz-extra@1.0.0 → notices@2.0.0`.\n\nExample: `notices/2.0.0.md` holds `{% include \"zz-extra@1.0.0\" %}` and `zz-extra/1.0.0.md` holds `{% include \"notices@2.0.0\" %}`.\nFix: remove one of the includes of the chain, or move the text both need into a third clause that includes neither.";
    E0221 "include-too-deep"
        "A chain of includes (`{% include %}` or `{% extends %}`, each clause including the next) passes through more than 16 clauses. Tera follows such a chain by recursion, so a longer one from a library made elsewhere could exhaust the stack.\n\nExample: `a@1.0.0` includes `b@1.0.0`, which includes `c@1.0.0`, and so on 17 levels down.\nFix: include what a clause needs from fewer levels down.";
    E0230 "project-file"
        "mou.toml, the project file, is not valid: a TOML error, an unknown key (it holds only [library] paths and [build] formats and out), or an unknown output format.\n\nExample: `format = [\"md\"]` under [build].\nFix: `formats = [\"md\"]`.";
    E0231 "library-not-found"
        "A folder that `[library] paths` of mou.toml lists does not exist. Paths are relative to the folder holding mou.toml.\n\nExample: `paths = [\"vendor/model\"]` when the folder is vendor/state-model.\nFix: correct the path, or vendor the library there first.";
    E0232 "layer-cycle"
        "The same folder appears twice in the library stack: mou.toml lists a library twice, lists the project's own clauses/, or an agreement's overlay folder is one of the libraries. Each folder can be one layer only.\n\nExample: `paths = [\"clauses\"]` under [library] in mou.toml.\nFix: remove the repeated entry.";
    E0233 "exhibit-file-missing"
        "An `[[exhibits]]` entry names a file that does not exist or cannot be read. The path is relative to the profile's folder.\n\nExample: `file = \"exhibits/duties.md\"` when the file is seminole.clauses/exhibits/duties.md.\nFix: give the path from the profile's folder: `file = \"seminole.clauses/exhibits/duties.md\"`.";
    E0234 "exhibit-outside"
        "An exhibit file must be inside the profile's folder: an absolute path, a `..` or a link out of it is refused, so a profile cannot print any file of the machine into an agreement.\n\nExample: `file = \"../../etc/passwd\"` in an [[exhibits]] entry.\nFix: copy the exhibit into the profile's folder (e.g. its overlay folder) and name it from there.";
    E0235 "exhibit-invalid"
        "An `[[exhibits]]` entry is not well formed: its label is not one to three letters or digits, two entries share a label, or it has not exactly one of `file`, `clause` and `rows` (a table needs `columns`, and every row as many cells as there are columns, each text or a whole number).\n\nExample: two entries with `label = \"A\"`.\nFix: give each exhibit its own label (`A`, `B`, …) and one source.";
    E0236 "exhibit-not-found"
        "A clause calls `exhibit(label=...)` with a label the agreement's [[exhibits]] do not have, or an exhibit names a library clause that does not exist.\n\nExample: `{{ exhibit(label=\"C\") }}` in a clause, when the profile lists exhibits A and B.\nFix: add the exhibit to the profile, or refer to one it has.";
    E0301 "missing-value"
        "A final agreement uses a value the profile does not give. Found before rendering, for every branch of the clause, not only the branches this profile takes. Set it, or mark the profile status = \"draft\" to print a visible blank.\n\nExample: a profile with status = \"final\" and no `annual_cost` under [funding], which the funding clause prints.\nFix: set it (`annual_cost = 182000.00`), or keep status = \"draft\" until it is known.";
    W0301 "draft-blank"
        "A draft leaves a value blank; it prints as [__________]. It must be filled before the agreement is final.\n\nExample: a draft whose school signatory has no name: `signatory = { title = \"Interim Superintendent\" }` under [school].\nFix: give `name` in the signatory before the agreement is made final.";
    E0302 "markdown-structure"
        "The rendered clause contains Markdown that an agreement cannot hold: raw HTML, or a fenced block other than `signature`.\n\nExample: `<script>alert(1)</script>` in a clause body.\nFix: remove the HTML; write the text in Markdown.";
    E0303 "leftover-markers"
        "Template markers ({{ }}, {% %}, {# #}) remain after rendering, usually from a value that itself contains them.\n\nExample: `name = \"{{ school.name }}\"` in a [[schools]] entry.\nFix: write the value itself, without template markers (`name = \"Hall High School\"`).";
    E0304 "dangling-reference"
        "`ref(id=...)` names a clause that is not a numbered article of this agreement (absent, excluded, or unnumbered).\n\nExample: `exclude = [\"funding\"]` under [clauses], while other clauses refer to it with `ref(id=\"funding\")`.\nFix: remove `funding` from `exclude`, or let the clauses that refer to it say what to print without it: `ref(id=\"funding\", or=\"this Agreement\")`, or `{% if included(id=\"funding\") %}…{% endif %}`.";
    W0302 "blank-tested"
        "A draft leaves out a value that the condition of an `{% if %}` or `{% elif %}` reads. No stand-in value is compared as if it were known: the condition is taken as false, whatever it compares, so the `else` text (if any) is printed, and this warning says that the text was chosen on a blank. Give the value, even a provisional one, to choose the clause's text.\n\nExample: a draft without `school_share_percent` under [funding], read by `{% if funding.school_share_percent > 0 %}`.\nFix: give a value, even a provisional one: `school_share_percent = 70`.";
    E0305 "blank-computed"
        "A draft leaves out a value that a clause computes with outside an `{% if %}` condition: arithmetic, a comparison in `{{ }}` or `{% set %}`, a filter or function argument, an `is` test. Nothing can stand in for a blank, so the clause is not rendered. Give the value, even a provisional one (a draft may change it later). A blank may only be printed, where it shows as [__________], or tested by `{% if %}` (W0302).\n\nExample: `{{ funding.annual_cost * 2 }}` in a clause, built for a draft without `annual_cost` under [funding].\nFix: give `annual_cost` a value, even a provisional one (`annual_cost = 182000.00`).";
    E0306 "nesting-too-deep"
        "Lists and block quotes nest more than 32 levels deep in a rendered clause (a list in a list is two levels). Agreements nest three or four; text nested thousands of levels deep (a value of `> > > ...` or `- - - ...`) would exhaust the stack of every writer, so it is refused where it was written: the clause line, or the profile value that nests by itself.\n\nExample: a school `name` that is `> ` repeated 8,000 times, or a clause body with 40 levels of `- ` items.\nFix: write the value as plain text; keep clause lists a few levels deep.";
    W0307 "typed-article-number"
        "A clause's text names an article by number (\"Article XVI\", \"Article 4\") instead of `ref(id=...)`. Article numbers come from the outline and change when a profile includes, excludes or inserts a clause; a typed number does not follow, and the agreement then points at the wrong article or at one it does not have. \"Article V of …\" (another instrument) and \"this Article\" are not reported.\n\nExample: `notice under Article XVI` in clauses/termination/1.1.0.md.\nFix: `notice under {{ ref(id=\"notices\") }}`, or `{{ ref(id=\"notices\", or=\"this Agreement\") }}` when that article may be left out.";
    E0401 "render-failed"
        "A writer (PDF, DOCX) could not produce the file.\n\nExample: `mou build -f pdf --pdf-standard a2b` of a draft without `date` under [agreement], with SOURCE_DATE_EPOCH unset.\nFix: give the agreement a date (`date = 2022-08-09`), or set SOURCE_DATE_EPOCH.";
    E0402 "write-failed"
        "An output file could not be written; earlier outputs are left as they were.\n\nExample: a folder named out/west-hartford-2022.pdf where the PDF is to be written.\nFix: remove or rename that folder, or build into another one (`-o`).";
    E0403 "unprintable-characters"
        "The PDF's embedded font (Liberation Serif) has no glyph for some characters of the agreement (Chinese, Japanese, Korean, Arabic, emoji…), or they are right-to-left text (Hebrew, Arabic) that the PDF would set reversed. Rather than print \"?\" in a name, the agreement is not written; the message lists the characters and where they are, and the position points at the profile value when it holds them. The Markdown and DOCX outputs keep such characters: build with -f md,docx, or write the value in Latin script.\n\nExample: a signatory `name = \"李明\"` in a profile built with `-f pdf`.\nFix: build that agreement with `-f md,docx`, or write the name in Latin script (`name = \"Li Ming\"`).";
    W0501 "notice-period"
        "The termination notice is shorter than 7 days or longer than 180: legal, but rarely intended.\n\nExample: `termination_notice_days = 3` under [term].\nFix: confirm the period with both parties, or give a usual one (`termination_notice_days = 30`).";
    W0502 "overtime-payer"
        "The school pays the whole program but overtime is charged to the agency: check `funding.overtime`.\n\nExample: `school_share_percent = 100` and `overtime = \"agency\"` under [funding].\nFix: `overtime = \"school\"` if the school pays for overtime too; keep \"agency\" only if that is the deal.";
    W0503 "low-insurance"
        "An insurance limit is below $1,000,000, under what most public-entity risk pools require.\n\nExample: `per_occurrence_limit = 500000` under [insurance].\nFix: confirm the limit with the risk pool, or raise it (`per_occurrence_limit = 1000000`).";
    W0504 "installment-outside-term"
        "An installment falls due before the term starts or after it ends.\n\nExample: `{ due = 2023-07-01, percent = 50 }` in `installments`, for a term that ends 2023-06-30.\nFix: move the due date into the term (`due = 2023-05-01`), or correct `term.end`.";
    E0601 "rule-not-met"
        "A rule of clauses/rules/<STATE>.toml requires a clause tag that no clause of this agreement has. The message cites the statute; the help line names a clause that carries the tag.\n\nExample: a CT profile without `include = [\"data-collection\"]` under [clauses]: Conn. Gen. Stat. § 10-233m needs tag `data-collection`.\nFix: include the clause the help line names: `include = [\"data-collection\"]` under [clauses].";
    E0602 "rule-unsatisfiable"
        "A rule requires a tag that no clause serving that state has, so no agreement can meet it.\n\nExample: `tag = \"training-certification\"` in clauses/rules/CT.toml, when only the KY version of `training` has that tag.\nFix: correct the tag, or add it to the `tags` of a clause version whose `states` include CT.";
    E0603 "rule-incomplete"
        "A rule of clauses/rules/<STATE>.toml lacks `cite` (the law it rests on), `message` (what the agreement must do) or `confidence` (\"statute\" when the statute text was read, \"secondary\" when only a summary, agency page or policy was). A rule that cannot say where it comes from cannot be checked by counsel, so it is refused and left out.\n\nExample: a [[require]] with `tag = \"training\"` and `message = \"…\"` but no `cite` line.\nFix: add the citation and what it rests on: `cite = \"Fla. Stat. § 1006.12(1)\"` and `confidence = \"statute\"`.";
    E0604 "rule-target"
        "A rule must check exactly one thing: a [[require]] names either a clause `tag` or a `profile` check (such as \"every-school-has-officer\"), never both or neither; a [[forbid]] names a `tag` only.\n\nExample: a [[require]] with both `tag = \"duties\"` and `profile = \"every-school-has-officer\"`.\nFix: split it into two [[require]] rules, one with the tag and one with the profile check.";
    E0605 "rule-conflict"
        "One state's rules both require and forbid the same tag, so no agreement could meet them.\n\nExample: clauses/rules/FL.toml has a [[require]] and a [[forbid]] both with `tag = \"indemnity\"`.\nFix: keep the rule the law supports and delete the other.";
    E0606 "rule-window"
        "A rule's `until` date (the last day it applies) is before its `since` date (the first), so it never applies.\n\nExample: `since = 2026-07-01` and `until = 2025-06-30` in one [[require]].\nFix: correct the dates so that `until` is on or after `since`, or drop `until`.";
    E0607 "rule-forbidden-tag"
        "A clause of the agreement carries a tag that a [[forbid]] rule of the profile's state bars: the state's law makes that clause void or unlawful. The message cites the law and names the clause.\n\nExample: a rules file with a [[forbid]] of `tag = \"indemnity\"`, and a profile of that state whose agreement uses the insurance clause, which has that tag.\nFix: leave the clause out (`exclude = [\"insurance\"]` under [clauses]) or pin a version of it that lacks the tag.";
    E0608 "rule-profile-value"
        "A profile value breaks a rule of the profile's state, such as a school with no officer of its own where the law wants one on every campus. The position points at the value.\n\nExample: a Kentucky profile with a school listed as `officers = 0` (KRS 158.4414 wants an officer on site at each campus).\nFix: give that school its own officer: `officers = 1`.";
    E0609 "rules-file-name"
        "A rules file is named by its state's two-letter code in capitals (`FL.toml`); a file with any other name would never be selected by a profile's state.\n\nExample: clauses/rules/florida.toml.\nFix: rename it to clauses/rules/FL.toml.";
    W0603 "rule-tag-unknown"
        "A [[forbid]] rule names a tag that no clause of the library has, so it bars nothing; it is most likely misspelt.\n\nExample: `tag = \"indemnty\"` in a [[forbid]] of clauses/rules/FL.toml.\nFix: correct it to the tag the barred clause carries (`indemnity`).";
    W0604 "state-unchecked"
        "The profile's state has no rules file, so nothing checks the agreement against that state's law. The agreement still builds; the warning says that silence from `check` is not a clean bill of health.\n\nExample: a profile with `state = \"NV\"` under [agreement], while clauses/rules/ has no NV.toml.\nFix: have counsel review the agreement against the state's law, and add clauses/rules/NV.toml (docs/rules.md) when its requirements are known.";
    W0701 "term-defined-twice"
        "A defined term (\"the District\") is defined in more than one place.\n\nExample: a second clause that also says (the \"Program\"), which the purpose clause already defines.\nFix: remove the second definition, and use \"the Program\" there.";
    W0702 "term-unused"
        "A term is defined but never used afterwards.\n\nExample: (the \"Vehicles\") in a clause, with \"Vehicles\" never used again.\nFix: use the term where the text means it, or remove the definition.";
    W0703 "term-undefined"
        "A capitalised term that the library defines elsewhere is used here, but this agreement never defines it (the defining clause may be excluded).\n\nExample: `exclude = [\"term\"]` under [clauses]: other clauses still say \"the Term\", which only the term clause defines.\nFix: keep the term clause, or define the term where it is first used: (the \"Term\").";
    E0800 "not-the-same-agreement"
        "`mou amend OLD NEW` writes an amendment to the agreement OLD, signed by its parties; NEW must be an agreement between the same parties (the same school, agency and other parties, in the same order). An agreement with another party is a new agreement, not an amendment.\n\nExample: `mou amend profiles/tehachapi-2017.toml profiles/tacoma-2021.toml`.\nFix: name the later version of the same agreement as NEW (`profiles/tehachapi-2018.toml`), or write a new agreement with `mou new`.";
    E0801 "renew-open-term"
        "`mou renew` rolls a term forward by its own length, so the term needs both `start` and `end`.\n\nExample: `mou renew profiles/draft.toml` where [term] has `start = 2025-07-01` and no `end`.\nFix: give the last day of the term: `end = 2026-06-30` under [term].";
    W0800 "calendar-blank-date"
        "A draft may leave dates and amounts out; `mou calendar` leaves out every event whose date the profile does not give (the term's start or end, the payments, the notice deadlines that depend on them) and says which, and says when the payments it lists have no amounts.\n\nExample: a draft with `[term]` but no `end`: no end-of-term event, no non-renewal deadline.\nFix: give the dates (`end = 2026-06-30` under [term]) before relying on the calendar.";
    E0850 "review-not-docx"
        "`mou review` reads the other side's DOCX as untrusted input: it must be a ZIP archive of at most 64 MiB with at most 4,096 entries, each part it reads inflating to at most 32 MiB (96 MiB together), by no more than 200 to 1 for a part over 1 MiB, and to exactly the size it declares. A file saved in another format, a damaged archive or a zip bomb stops here, before anything is compared.\n\nExample: `mou review theirs.docx --profile profiles/tacoma-2021.toml` where theirs.docx was saved by Word as a .doc (not a ZIP archive).\nFix: open the file in Word or LibreOffice and save it as a Word document (.docx), then review that file.";
    E0851 "review-broken-xml"
        "A part of the returned DOCX that a review reads (the document body, its comments, its relationships or custom properties) is not well-formed UTF-8 XML, declares a DTD, refers to an entity other than the five XML predefines, or nests elements more than 256 deep. The message gives the part, and the line and column in it. A DTD is refused outright, so no entity can be declared or expanded (no billion laughs, no external file).\n\nExample: word/document.xml containing `<!DOCTYPE w:document [<!ENTITY a \"…\">]>`.\nFix: open the file in Word or LibreOffice and save it again as .docx; a real editor writes none of these.";
    W0850 "review-version-differs"
        "The returned DOCX names (in its custom properties) the clause version it was built from, and the profile builds another version now. Differences in that article may come from our own library change, not from the other side.\n\nExample: the DOCX was sent with `termination` 1.0.0, and the library has since gained 1.1.0, which the profile now selects.\nFix: pin the version the DOCX was built with (`versions = { termination = \"=1.0.0\" }` under [clauses]) for the review, or read that article's changes knowing some are ours.";
    W0851 "review-proposal-inexact"
        "`mou review --propose` wrote (or could not write) an overlay clause that does not build to exactly the other side's text: an edit inside a loop's output, a changed heading (the title comes from front matter), or Markdown the edit produced that reads differently. The file is still written where possible, for counsel to finish by hand.\n\nExample: they renamed the article heading \"Termination\" to \"Ending the Agreement\".\nFix: edit the proposed clause file (or its `title`) until `mou review` of their DOCX against the rebuilt profile reports no change in that clause.";
    W0852 "review-comment-unplaced"
        "A comment in the returned DOCX has no anchor in the document body that the review could find (its anchored text was deleted, or the editor dropped the range). It is printed with its author, but belongs to no clause.\n\nExample: a comment whose `w:commentRangeStart` was deleted along with the sentence it marked.\nFix: read the comment in Word; nothing in the profile or library needs to change.";
}

/// The short name of a code (`blank-value`), for summaries.
pub fn name(code: &str) -> Option<&'static str> {
    CODES.iter().find(|c| c.id == code).map(|c| c.name)
}

pub fn explain(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_uppercase();
    CODES
        .iter()
        .find(|c| c.id == code)
        .map(|c| format!("{} {}\n\n{}\n", c.id, c.name, c.explanation))
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_unique_and_explained() {
        let mut seen = std::collections::BTreeSet::new();
        for code in super::CODES {
            assert!(seen.insert(code.id), "{} twice", code.id);
            assert!(!code.explanation.is_empty(), "{}", code.id);
            // Every explanation ends with an example that triggers the code, then its fix,
            // one line each.
            let (_, tail) = code
                .explanation
                .split_once("\n\nExample: ")
                .unwrap_or_else(|| panic!("{}: no \"\\n\\nExample: \"", code.id));
            let (example, fix) = tail
                .split_once("\nFix: ")
                .unwrap_or_else(|| panic!("{}: no \"\\nFix: \" after the example", code.id));
            for line in [example, fix] {
                assert!(!line.is_empty() && !line.contains('\n'), "{}", code.id);
            }
        }
        assert!(super::explain("e0103").unwrap().contains("unknown-key"));
        assert!(super::explain("E9999").is_none());
    }
}
