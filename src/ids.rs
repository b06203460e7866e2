//! Names that become file names or select law: an agreement id (`OUT/<id>.pdf`), a
//! clause id (`clauses/<id>/`), a state code (`clauses/rules/<STATE>.toml`). Each is a
//! type that can only hold a valid value, checked once where it is read, so no later
//! stage re-checks a string or mixes one kind of name up with another.

use serde::Serialize;
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

/// Lower-case ASCII letters, digits and `-`, not starting with `-`: safe as a file
/// name on every system, and never an option on a command line.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

name_type! {
    /// An agreement's id: the stem of every output file (`OUT/<id>.pdf`).
    AgreementId
}

impl AgreementId {
    pub fn parse(s: &str) -> Option<AgreementId> {
        is_slug(s).then(|| AgreementId(s.to_string()))
    }

    /// Holds the place of an invalid id while the rest of a profile is validated, so
    /// every problem is reported at once; a profile with it is always refused.
    pub(crate) fn stand_in() -> AgreementId {
        AgreementId("invalid".to_string())
    }
}

name_type! {
    /// A clause's id: its folder in a library (`clauses/<id>/`).
    ClauseId
}

impl ClauseId {
    pub fn parse(s: &str) -> Option<ClauseId> {
        is_slug(s).then(|| ClauseId(s.to_string()))
    }
}

name_type! {
    /// A two-letter upper-case postal code (`CT`): selects state clause versions and
    /// the rules in `clauses/rules/<STATE>.toml`.
    StateCode
}

impl StateCode {
    pub fn parse(s: &str) -> Option<StateCode> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()))
            .then(|| StateCode(s.to_string()))
    }

    /// Holds the place of an invalid code while the rest of a profile is validated; a
    /// profile with it is always refused.
    pub(crate) fn stand_in() -> StateCode {
        StateCode("XX".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_valid_names_are_made() {
        assert!(AgreementId::parse("tacoma-2021").is_some());
        for bad in ["", "-x", "Tacoma", "a/b", "a.b", "..", "a b", "é"] {
            assert!(AgreementId::parse(bad).is_none(), "{bad:?}");
            assert!(ClauseId::parse(bad).is_none(), "{bad:?}");
        }
        assert!(StateCode::parse("CT").is_some());
        for bad in ["ct", "C", "CTX", "C1", ""] {
            assert!(StateCode::parse(bad).is_none(), "{bad:?}");
        }
        let id = ClauseId::parse("insurance").unwrap();
        assert_eq!(id, "insurance");
        assert_eq!(id.len(), 9);
        let map: std::collections::BTreeMap<ClauseId, u8> = [(id, 1)].into();
        assert_eq!(map.get("insurance"), Some(&1));
    }
}
