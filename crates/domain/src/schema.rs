//! The rules this crate's parsers check, as JSON Schemas for the OpenAPI
//! document. A request field names one of these types in
//! `#[schema(value_type = …)]` (a query parameter in
//! `#[param(value_type = …, inline)]`), so the document states what the
//! server accepts, built from the constants and predicates the parsers use.
//! The types are never constructed; nothing here runs outside building the
//! document.
//!
//! Patterns are ECMA-262 regular expressions, as JSON Schema asks, written
//! in the subset that Python's `re` and Rust's `regex` read the same way:
//! no `\s`, `\d` or `\w` (whose meaning differs between engines) except in
//! `[\s\S]`, any character. Character classes are spelled out from the
//! predicates the parsers use (`char::is_whitespace` is what `str::trim`
//! removes, `char::is_control` is what names refuse), and no wide class is
//! repeated more than a hundred-odd times, which some engines refuse to
//! compile.

use utoipa::openapi::{
    RefOr,
    schema::{ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type},
};

use crate::{
    UserId,
    activity::{ActionType, MAX_MESSAGE_CHARS},
    money::{MAX_DECIMALS, MAX_WHOLE_DIGITS},
    product::Gender,
    role::Role,
    user::{
        MAX_EMAIL_CHARS, MAX_NAME_CHARS, MAX_PASSWORD_CHARS, MAX_PREFERENCES, MAX_SIZE_CHARS, MAX_URL_CHARS,
        MIN_PASSWORD_CHARS, SIZE_PUNCTUATION,
    },
    visibility::MAX_VISIBILITY_MEMBERS,
};

/// Declares a schema-only type: `$name`'s schema is `$schema` (anything
/// that converts into a `RefOr<Schema>`), and it is a component of that
/// name. The components its schema refers to follow `uses`.
#[macro_export]
macro_rules! schema_type {
    ($(#[$doc:meta])* $name:ident = $schema:expr $(; uses $($used:ty),+)?) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema.into()
            }
        }

        impl utoipa::ToSchema for $name {
            #[allow(unused_variables, reason = "a schema without references pushes nothing")]
            fn schemas(
                schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                $($(
                    schemas.push((
                        <$used as utoipa::ToSchema>::name().into_owned(),
                        <$used as utoipa::PartialSchema>::schema(),
                    ));
                    <$used as utoipa::ToSchema>::schemas(schemas);
                )+)?
            }
        }
    };
}

/// A reference to the component of `T`.
pub fn reference<T: utoipa::ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name()))
}

/// The body of a regex character class holding exactly the characters
/// `member` admits: ASCII letters and digits as themselves, the others
/// escaped. Every one must be below U+10000 (it panics otherwise): above
/// it, ECMA-262 without the `u` flag and Python have no common spelling.
/// The classes the document uses are constants checked against it.
#[cfg(test)]
pub fn class_of(member: impl Fn(char) -> bool) -> String {
    fn escape(c: char) -> String {
        match u32::from(c) {
            _ if c.is_ascii_alphanumeric() => c.to_string(),
            code @ 0..=0xFF => format!(r"\x{code:02X}"),
            code @ 0x100..=0xFFFF => format!(r"\u{code:04X}"),
            code => panic!("U+{code:X} cannot be named in a portable character class"),
        }
    }
    let mut body = String::new();
    let mut run: Option<(char, char)> = None;
    let close = |run: (char, char), body: &mut String| {
        body.push_str(&escape(run.0));
        if run.1 != run.0 {
            if u32::from(run.1) > u32::from(run.0) + 1 {
                body.push('-');
            }
            body.push_str(&escape(run.1));
        }
    };
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        match (member(c), run) {
            (true, Some((start, end))) if u32::from(end) + 1 == u32::from(c) => run = Some((start, c)),
            (true, Some(done)) => {
                close(done, &mut body);
                run = Some((c, c));
            }
            (true, None) => run = Some((c, c)),
            (false, Some(done)) => {
                close(done, &mut body);
                run = None;
            }
            (false, None) => {}
        }
    }
    if let Some(done) = run {
        close(done, &mut body);
    }
    body
}

/// What `str::trim` removes: `char::is_whitespace`, as `class_of` names it
/// (a test holds them equal; a constant, because walking every character
/// at each start would cost the start-up more than the rest of the document).
pub const WHITESPACE: &str = r"\x09-\x0D\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// What names and labels refuse: `char::is_control` (Unicode category Cc).
pub const CONTROL: &str = r"\x00-\x1F\x7F-\x9F";
/// What a message refuses: the control characters but newline and tab.
pub const CONTROL_BUT_NEWLINE_AND_TAB: &str = r"\x00-\x08\x0B-\x1F\x7F-\x9F";

/// A pattern for text that `str::trim` leaves at most `max` characters long
/// (at least one when `required`; `max` at least 2), with no control
/// character left when `no_control`.
pub fn trimmed_pattern(required: bool, max: usize, no_control: bool) -> String {
    let ws = WHITESPACE;
    let (edge, inner) = if no_control {
        let ctrl = CONTROL;
        (format!("[^{ws}{ctrl}]"), format!("[^{ctrl}]"))
    } else {
        (format!("[^{ws}]"), r"[\s\S]".to_owned())
    };
    let core = format!("{edge}(?:{inner}{{0,{}}}{edge})?", max.saturating_sub(2));
    let core = if required { core } else { format!("(?:{core})?") };
    format!("^[{ws}]*{core}[{ws}]*$")
}

/// A string schema with `pattern` and `description`.
pub fn text(pattern: String, description: String) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some(pattern)).description(Some(description))
}

/// An integer schema from `min` to `max`, with `description`.
pub fn integer(min: i64, max: Option<i64>, description: String) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(max)
        .description(Some(description))
}

/// A string schema admitting exactly `values` (an `enum`).
pub fn string_enum<'a>(values: impl IntoIterator<Item = &'a str>, description: String) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).description(Some(description))
}

/// A member's or a room's name: `PersonName`.
fn display_name() -> ObjectBuilder {
    text(
        trimmed_pattern(true, MAX_NAME_CHARS, true),
        format!(
            "1 to {MAX_NAME_CHARS} characters once leading and trailing white space is trimmed; \
             no control characters."
        ),
    )
}

schema_type!(
    /// A member's or a room's name, as `PersonName` accepts it.
    DisplayName = display_name()
);

/// The characters no part of an email address may hold, besides `@` in the domain.
fn email_pattern() -> String {
    let refused = format!("@<>{}{}", WHITESPACE, CONTROL);
    format!(r"^[^{refused}]+@[^.{refused}][^{refused}]*\.[^{refused}]*[^.{refused}]$")
}

schema_type!(
    /// An email address as `Email` accepts it.
    EmailAddress = ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_EMAIL_CHARS))
        .pattern(Some(email_pattern()))
        .description(Some(format!(
            "`local@domain.tld`, at most {MAX_EMAIL_CHARS} characters: one `@`, a domain with a dot \
             neither first nor last, and no white space, control characters, `<` or `>`. \
             Compared case-insensitively."
        )))
);

schema_type!(
    /// A new password as `Password` accepts it.
    NewPassword = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(MIN_PASSWORD_CHARS))
        .max_length(Some(MAX_PASSWORD_CHARS))
        .description(Some(format!(
            "{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters, and not the email address \
             (nor the part before its `@`)."
        )))
);

/// An avatar location: `parse_avatar`. The length is stated of the text as
/// sent (the server counts it once trimmed): a bounded repetition of a
/// class this wide is more than some regex engines compile.
fn avatar_url() -> ObjectBuilder {
    let ws = WHITESPACE;
    let refused = format!("{ws}{}", CONTROL);
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_URL_CHARS))
        .pattern(Some(format!("^[{ws}]*(?:https?://|/files/)[^{refused}]*[{ws}]*$")))
        .description(Some(format!(
            "An `https://` or `http://` URL, or a `/files/…` path this server serves; at most \
             {MAX_URL_CHARS} characters, with no white space or control characters inside."
        )))
}

schema_type!(
    /// An avatar location as `parse_avatar` accepts it.
    AvatarUrl = avatar_url()
);

/// A size label: `Sizes::validate`.
fn size_label() -> ObjectBuilder {
    let escaped = |chars: &mut dyn Iterator<Item = char>| -> String {
        chars.map(|c| if "\\]^-".contains(c) { format!("\\{c}") } else { c.to_string() }).collect()
    };
    let any = format!("A-Za-z0-9{}", escaped(&mut SIZE_PUNCTUATION.chars()));
    let visible = format!("A-Za-z0-9{}", escaped(&mut SIZE_PUNCTUATION.chars().filter(|c| !c.is_whitespace())));
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_SIZE_CHARS))
        .pattern(Some(format!("^[{any}]*[{visible}][{any}]*$")))
        .description(Some(format!(
            "A size label such as `M`, `32` or `UK8`: at most {MAX_SIZE_CHARS} letters, digits, \
             spaces, `.`, `/` or `-`, not only spaces."
        )))
}

schema_type!(
    /// A clothing size as `Sizes::validate` accepts it.
    SizeLabel = size_label()
);

/// One style or brand of `Preferences`: not blank, no control characters.
fn preference_word() -> ObjectBuilder {
    let (ws, ctrl) = (WHITESPACE, CONTROL);
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_NAME_CHARS))
        .pattern(Some(format!("^[^{ctrl}]*[^{ws}{ctrl}][^{ctrl}]*$")))
}

schema_type!(
    /// A list of styles or brands as `Preferences::validate` accepts it.
    PreferenceList = ArrayBuilder::new().items(preference_word()).max_items(Some(MAX_PREFERENCES)).description(Some(
        format!(
            "At most {MAX_PREFERENCES} values, each of 1 to {MAX_NAME_CHARS} characters, not blank, \
             with no control characters."
        )
    ))
);

/// A message of an activity: `parse_message`. The length counts the text as sent.
fn activity_message() -> ObjectBuilder {
    let (ws, ctrl) = (WHITESPACE, CONTROL);
    let refused = CONTROL_BUT_NEWLINE_AND_TAB;
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(MAX_MESSAGE_CHARS))
        .pattern(Some(format!("^[^{refused}]*[^{ws}{ctrl}][^{refused}]*$")))
        .description(Some(format!(
            "1 to {MAX_MESSAGE_CHARS} characters, stored as typed: not blank, and no control \
             characters other than newline and tab."
        )))
}

schema_type!(
    /// An activity's message as `parse_message` accepts it.
    ActivityMessage = activity_message()
);

schema_type!(
    /// The action types a client may post: [`ActionType::is_client_postable`].
    ClientActionType = string_enum(
        ActionType::ALL.into_iter().filter(|a| a.is_client_postable()).map(ActionType::as_str),
        "An action a client may post; the others are written by the server.".to_owned(),
    )
);

schema_type!(
    /// The roles a role change may give: every role but the owner's, which
    /// moves only through a transfer of ownership (`App::set_member_role`).
    AssignableRole = string_enum(
        Role::ALL.into_iter().filter(|r| *r != Role::Owner).map(Role::as_str),
        "The new role. The owner role moves only through a transfer of ownership; admins may \
         give only `member` and `viewer`, and only to members and viewers."
            .to_owned(),
    )
);

/// Members named by a visibility or secret-mode list.
fn member_ids() -> ArrayBuilder {
    ArrayBuilder::new().items(reference::<UserId>()).max_items(Some(MAX_VISIBILITY_MEMBERS))
}

schema_type!(
    /// Members named by a visibility or a secret-mode list.
    MemberIdList = member_ids().description(Some(format!("At most {MAX_VISIBILITY_MEMBERS} members of the room.")));
    uses UserId
);

/// A non-negative decimal amount in major units: `Money::parse_major`.
fn decimal_amount_pattern() -> String {
    let ws = WHITESPACE;
    format!(r"^[{ws}]*[0-9]{{1,{MAX_WHOLE_DIGITS}}}(?:\.[0-9]{{0,{MAX_DECIMALS}}})?[{ws}]*$")
}

/// Digits, `digits` at most, of which one is not zero.
fn nonzero_digits(digits: usize) -> String {
    (0..digits)
        .map(|zeros| {
            let lead = match zeros {
                0 => String::new(),
                1 => "0".to_owned(),
                n => format!("0{{{n}}}"),
            };
            let rest = digits - zeros - 1;
            if rest == 0 { format!("{lead}[1-9]") } else { format!("{lead}[1-9][0-9]{{0,{rest}}}") }
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A positive decimal amount in major units: `Money::parse_major`, not zero.
fn positive_amount_pattern() -> String {
    let ws = WHITESPACE;
    format!(
        r"^[{ws}]*(?:(?:{whole})(?:\.[0-9]{{0,{MAX_DECIMALS}}})?|0{{1,{MAX_WHOLE_DIGITS}}}\.(?:{fraction}))[{ws}]*$",
        whole = nonzero_digits(MAX_WHOLE_DIGITS),
        fraction = nonzero_digits(MAX_DECIMALS),
    )
}

schema_type!(
    /// A price bound as `Money::parse_major` reads it.
    DecimalAmount = text(
        decimal_amount_pattern(),
        format!(
            "A non-negative decimal amount in major units with at most {MAX_DECIMALS} decimals and \
             {MAX_WHOLE_DIGITS} whole digits, e.g. `499` or `499.50`."
        ),
    )
);

schema_type!(
    /// A positive amount as `Money::parse_major` reads it.
    PositiveAmount = text(
        positive_amount_pattern(),
        format!(
            "A positive decimal amount in major units with at most {MAX_DECIMALS} decimals and \
             {MAX_WHOLE_DIGITS} whole digits, e.g. `1500` or `1500.00`."
        ),
    )
);

/// A comma-separated list of genders, blanks skipped: the search filter.
fn gender_list_pattern() -> String {
    let ws = WHITESPACE;
    let names = Gender::ALL.map(Gender::as_str).join("|");
    let item = format!("[{ws}]*(?:{names})?[{ws}]*");
    format!("^{item}(?:,{item})*$")
}

schema_type!(
    /// A comma-separated list of genders, as the search filter reads it.
    GenderList = text(
        gender_list_pattern(),
        format!(
            "Comma-separated: {}. (The server also takes them in capitals, and `man`, `male`, \
             `woman`, `female`, `boy` and `girl`.)",
            Gender::ALL.map(Gender::as_str).join(", ")
        ),
    )
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_name_exactly_the_characters_of_their_predicates() {
        assert_eq!(class_of(char::is_whitespace), WHITESPACE);
        assert_eq!(class_of(char::is_control), CONTROL);
        assert_eq!(class_of(|c| c.is_control() && c != '\n' && c != '\t'), CONTROL_BUT_NEWLINE_AND_TAB);
        assert_eq!(class_of(|c| c == 'a' || c == 'b' || c == 'd' || c == '.'), r"\x2Eabd");
        assert_eq!(class_of(|c| c.is_ascii_digit() || c == '-'), r"\x2D0-9");
    }

    #[test]
    fn amounts_name_every_position_of_the_first_digit_that_is_not_zero() {
        assert_eq!(nonzero_digits(2), "[1-9][0-9]{0,1}|0[1-9]");
        assert_eq!(nonzero_digits(3), "[1-9][0-9]{0,2}|0[1-9][0-9]{0,1}|0{2}[1-9]");
    }
}
