//! Colours by role, loaded from TOML.
//!
//! stacktop ships a set of themes (`themes/`): `dark` (the default),
//! `light`, `high-contrast` and `ansi-16` (the 16 colours every terminal
//! has). A theme names only the roles it changes over the one it
//! `inherits` (`dark` unless it says otherwise). Views ask for a role
//! (`theme.error`), never for a colour. `NO_COLOR` drops every colour and
//! keeps the symbols and the bold and reversed marks.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::toml_error::toml_error;

pub const DEFAULT_THEME: &str = include_str!("../themes/default.toml");

/// The themes stacktop ships, by the name `--theme` and `theme =` take.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("dark", DEFAULT_THEME),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("ansi-16", include_str!("../themes/ansi-16.toml")),
];

/// Declares the roles once: each one's field in [`Theme`], its [`Role`]
/// and its name in theme files; everything else walks [`Role::ALL`].
macro_rules! theme_with_roles {
    (
        $(#[$meta:meta])*
        pub struct Theme {
            roles {
                $( $(#[$doc:meta])* $field:ident: $role:ident = $name:literal, )*
            }
            $( $(#[$other_doc:meta])* pub $other:ident: $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        pub struct Theme {
            $( $(#[$doc])* pub $field: Style, )*
            $( $(#[$other_doc])* pub $other: $ty, )*
        }

        /// A colour role: what a view asks the theme for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Role {
            $( $(#[$doc])* $role, )*
        }

        impl Role {
            /// Every role, in the order of the default theme file.
            pub const ALL: &[Role] = &[$(Self::$role),*];

            /// Its name under `[roles]` in a theme file.
            pub fn name(self) -> &'static str {
                match self {
                    $( Self::$role => $name, )*
                }
            }
        }

        impl Theme {
            /// The style of `role`.
            pub fn style(&self, role: Role) -> Style {
                match role {
                    $( Role::$role => self.$field, )*
                }
            }

            fn style_mut(&mut self, role: Role) -> &mut Style {
                match role {
                    $( Role::$role => &mut self.$field, )*
                }
            }

            /// A theme of `style(role)` for every role, and `rest`.
            fn with_roles(
                mut style: impl FnMut(Role) -> Result<Style>,
                ($($other,)*): ($($ty,)*),
            ) -> Result<Self> {
                Ok(Self {
                    $( $field: style(Role::$role)?, )*
                    $( $other, )*
                })
            }
        }
    };
}

theme_with_roles! {
    /// Every role a view may use, and the colours around them.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Theme {
        roles {
            text: Text = "text",
            muted: Muted = "muted",
            title: Title = "title",
            border: Border = "border",
            header: Header = "header",
            selection: Selection = "selection",
            project: Project = "project",
            healthy: Healthy = "healthy",
            warning: Warning = "warning",
            error: Error = "error",
            info: Info = "info",
            key: Key = "key",
            banner: Banner = "banner",
            status: Status = "status",
            filter: Filter = "filter",
            gauge: Gauge = "gauge",
            /// Trend lines: a service's and the host's CPU and memory over time.
            trend: Trend = "trend",
            stderr: Stderr = "stderr",
            timestamp: Timestamp = "timestamp",
            /// Search matches in log lines.
            search_match: SearchMatch = "match",
            /// The current search match.
            search_current: SearchCurrent = "match_current",
            /// Level words and values in log lines, by level.
            level_error: LevelError = "level_error",
            level_warn: LevelWarn = "level_warn",
            level_info: LevelInfo = "level_info",
            level_debug: LevelDebug = "level_debug",
            level_trace: LevelTrace = "level_trace",
            /// The message of a structured (JSON) log line.
            message: Message = "message",
            /// The field names of a structured (JSON) log line.
            field_key: FieldKey = "field_key",
            /// The line stacktop puts between two runs of a container.
            separator: Separator = "separator",
        }
        /// Colours of service prefixes in merged logs, used in turn.
        pub log_prefixes: Vec<Color>,
        /// The terminal colours the theme is made for (what `reset` stands
        /// for), against which its contrast is checked.
        pub background: Color,
        pub foreground: Color,
        /// False under `NO_COLOR`: colours that come from elsewhere (log
        /// lines' own) are dropped too.
        pub colour: bool,
    }
}

impl Role {
    /// The role a theme file names `name`.
    pub fn named(name: &str) -> Option<Role> {
        Self::ALL.iter().copied().find(|r| r.name() == name)
    }

    /// Roles that mark a place by their background: without colour they
    /// are reversed instead, so the place still shows.
    fn reversed_without_colour(self) -> bool {
        matches!(
            self,
            Self::Selection | Self::Banner | Self::SearchMatch | Self::SearchCurrent
        )
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    /// A built-in theme this one changes (`dark` when not said).
    inherits: Option<String>,
    background: Option<String>,
    foreground: Option<String>,
    #[serde(default)]
    roles: BTreeMap<String, RoleStyle>,
    #[serde(default)]
    log: LogSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogSection {
    prefixes: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reversed: bool,
}

impl Default for Theme {
    fn default() -> Self {
        // The built-in themes are tested to parse; failing here is a bug.
        Self::named("dark").expect("built-in theme is valid")
    }
}

impl Theme {
    /// A built-in theme, by name.
    pub fn named(name: &str) -> Result<Self> {
        let (_, text) = built_in(name)?;
        build(&merged(text, name, 0)?).with_context(|| format!("in the built-in theme {name}"))
    }

    /// `spec` is a built-in theme's name or a theme file (relative to `dir`).
    pub fn resolve(spec: &str, dir: &Path) -> Result<Self> {
        if BUILT_IN.iter().any(|(name, _)| *name == spec) {
            return Self::named(spec);
        }
        let path = dir.join(spec);
        if !path.is_file() {
            return Err(anyhow!(
                "no theme named {spec:?}: built in are {}, or give a theme file",
                names().join(", ")
            ));
        }
        Self::load(&path)
    }

    /// The theme file at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading theme {}", path.display()))?;
        Self::parse(&text, Some(path))
    }

    /// Parses a theme's text over the one it inherits; `origin` names it
    /// in errors.
    pub fn parse(text: &str, origin: Option<&Path>) -> Result<Self> {
        let name = origin.map_or("theme".to_string(), |p| p.display().to_string());
        build(&merged(text, &name, 0)?).with_context(|| format!("in {name}"))
    }

    /// The same theme without a colour (`NO_COLOR`): the selection and the
    /// banner reversed, emphasis kept, so every state still reads.
    pub fn without_colour(mut self) -> Self {
        for &role in Role::ALL {
            let style = self.style(role);
            let plain = Style {
                fg: None,
                bg: None,
                underline_color: None,
                ..style
            };
            *self.style_mut(role) = if role.reversed_without_colour() {
                plain.add_modifier(Modifier::REVERSED)
            } else {
                plain
            };
        }
        self.log_prefixes = vec![Color::Reset];
        self.colour = false;
        self
    }

    /// A style from outside the theme (a log line's colours), as this
    /// theme allows: without colour under `NO_COLOR`.
    pub fn paint(&self, style: Style) -> Style {
        if self.colour {
            style
        } else {
            Style {
                fg: None,
                bg: None,
                ..style
            }
        }
    }
}

/// The name the root theme is known by inside this module; a user file
/// is never called that (its errors name its path, or `theme`).
const ROOT: &str = "dark";

/// The names of the built-in themes.
pub fn names() -> Vec<&'static str> {
    BUILT_IN.iter().map(|(name, _)| *name).collect()
}

fn built_in(name: &str) -> Result<(&'static str, &'static str)> {
    BUILT_IN
        .iter()
        .copied()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| {
            anyhow!(
                "no built-in theme {name:?} (there are {})",
                names().join(", ")
            )
        })
}

/// `text`'s theme file merged over what it inherits, role by role.
/// The built-in `dark` is the root every other theme comes from.
fn merged(text: &str, name: &str, depth: usize) -> Result<ThemeFile> {
    let own: ThemeFile = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
    if name == ROOT {
        return Ok(own);
    }
    let parent = own.inherits.as_deref().unwrap_or("dark");
    let (parent_name, parent_text) =
        built_in(parent).with_context(|| format!("{name}: inherits"))?;
    if depth > BUILT_IN.len() {
        return Err(anyhow!("{name}: themes inherit each other in a circle"));
    }
    let mut base = merged(parent_text, parent_name, depth + 1)?;
    base.roles.extend(own.roles);
    base.log.prefixes = own.log.prefixes.or(base.log.prefixes);
    base.background = own.background.or(base.background);
    base.foreground = own.foreground.or(base.foreground);
    Ok(base)
}

fn build(file: &ThemeFile) -> Result<Theme> {
    if let Some(unknown) = file.roles.keys().find(|k| Role::named(k).is_none()) {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        return Err(anyhow!(
            "unknown role `{unknown}`; expected one of: {}",
            known.join(", ")
        ));
    }
    let role = |role: Role| -> Result<Style> {
        let name = role.name();
        let style = file
            .roles
            .get(name)
            .ok_or_else(|| anyhow!("role `{name}` is missing"))?;
        to_style(style).with_context(|| format!("role `{name}`"))
    };
    let prefixes = file.log.prefixes.clone().unwrap_or_default();
    let log_prefixes = prefixes
        .iter()
        .map(|c| parse_color(c))
        .collect::<Result<_>>()
        .context("[log] prefixes")?;
    let background = terminal_colour(&file.background, "background")?;
    let foreground = terminal_colour(&file.foreground, "foreground")?;
    Theme::with_roles(role, (log_prefixes, background, foreground, true))
}

fn terminal_colour(value: &Option<String>, what: &str) -> Result<Color> {
    let text = value
        .as_deref()
        .ok_or_else(|| anyhow!("`{what}` is missing"))?;
    parse_color(text).with_context(|| format!("`{what}`"))
}

impl Theme {
    /// The colour of a log level.
    pub fn level(&self, severity: crate::model::Severity) -> Style {
        use crate::model::Severity;
        match severity {
            Severity::Error => self.level_error,
            Severity::Warn => self.level_warn,
            Severity::Info => self.level_info,
            Severity::Debug => self.level_debug,
            Severity::Trace => self.level_trace,
        }
    }
}

fn to_style(role: &RoleStyle) -> Result<Style> {
    let mut style = Style::default();
    if let Some(fg) = &role.fg {
        style = style.fg(parse_color(fg)?);
    }
    if let Some(bg) = &role.bg {
        style = style.bg(parse_color(bg)?);
    }
    let flags = [
        role.bold,
        role.dim,
        role.italic,
        role.underline,
        role.reversed,
    ];
    Ok(with_modifiers(style, flags))
}

/// `style` with bold, dim, italic, underlined and reversed added where
/// `flags` (in that order) is set; themes and log styles both use it.
pub fn with_modifiers(style: Style, flags: [bool; 5]) -> Style {
    const MODIFIERS: [Modifier; 5] = [
        Modifier::BOLD,
        Modifier::DIM,
        Modifier::ITALIC,
        Modifier::UNDERLINED,
        Modifier::REVERSED,
    ];
    flags
        .into_iter()
        .zip(MODIFIERS)
        .filter(|(on, _)| *on)
        .fold(style, |style, (_, modifier)| style.add_modifier(modifier))
}

fn parse_color(text: &str) -> Result<Color> {
    Color::from_str(text).map_err(|_| {
        anyhow!("`{text}` is not a colour (a name like \"cyan\", an index 0-255 or \"#rrggbb\")")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_parse() {
        let theme = Theme::default();
        assert_eq!(theme.selection.bg, Some(Color::Cyan));
        assert!(!theme.log_prefixes.is_empty());
        for name in names() {
            Theme::named(name).unwrap();
        }
    }

    #[test]
    fn a_user_theme_may_inherit_a_built_in_one() {
        let theme = Theme::parse(
            "inherits = \"light\"\n[roles]\nerror = { fg = \"#ff00ff\" }\n",
            None,
        )
        .unwrap();
        let light = Theme::named("light").unwrap();
        assert_eq!(theme.error.fg, Some(Color::Rgb(255, 0, 255)));
        assert_eq!(theme.selection, light.selection);
        assert_eq!(theme.background, light.background);
        let err = Theme::parse("inherits = \"sepia\"\n", None).unwrap_err();
        assert!(
            format!("{err:#}").contains("no built-in theme \"sepia\""),
            "{err:#}"
        );
    }

    #[test]
    fn no_colour_keeps_emphasis_and_drops_colours() {
        let theme = Theme::default().without_colour();
        assert_eq!(theme.error.fg, None);
        assert!(theme.error.add_modifier.contains(Modifier::BOLD));
        assert!(theme.selection.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(theme.selection.bg, None);
    }

    #[test]
    fn every_role_name_reads_back_and_is_its_own() {
        for &role in Role::ALL {
            assert_eq!(Role::named(role.name()), Some(role), "{role:?}");
        }
        let mut names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Role::ALL.len(), "two roles share a name");
    }

    #[test]
    fn the_default_theme_names_every_role() {
        let file: ThemeFile = toml::from_str(DEFAULT_THEME).unwrap();
        let named: Vec<&str> = file.roles.keys().map(String::as_str).collect();
        let mut roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        roles.sort_unstable();
        assert_eq!(named, roles);
    }

    #[test]
    fn no_colour_drops_the_colour_of_every_role() {
        let theme = Theme::default().without_colour();
        for &role in Role::ALL {
            let style = theme.style(role);
            assert_eq!((style.fg, style.bg), (None, None), "{role:?}");
        }
        let current = theme.search_current.add_modifier;
        assert!(current.contains(Modifier::REVERSED), "a match still shows");
    }

    #[test]
    fn user_theme_overrides_only_its_roles() {
        let theme = Theme::parse("[roles]\nerror = { fg = \"#ff0000\" }\n", None).unwrap();
        assert_eq!(theme.error.fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(theme.selection, Theme::default().selection);
    }

    #[test]
    fn bad_colour_names_the_role() {
        let err = Theme::parse("[roles]\nerror = { fg = \"blurple\" }\n", None).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("role `error`"), "{text}");
        assert!(text.contains("blurple"), "{text}");
    }

    #[test]
    fn unknown_role_is_refused() {
        let err = Theme::parse("[roles]\nerorr = { fg = \"red\" }\n", None).unwrap_err();
        assert!(format!("{err:#}").contains("unknown role `erorr`"));
    }

    #[test]
    fn toml_error_names_file_line_and_column() {
        let path = Path::new("mytheme.toml");
        let err = Theme::parse("[roles]\nerror = { fg = }\n", Some(path)).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.starts_with("mytheme.toml:2:"), "{text}");
    }

    /// xterm's colours for the names, the 6x6x6 cube and the grey ramp for
    /// indexes: what the contrast check reads a colour as.
    fn rgb(color: Color, reset: Color) -> (u8, u8, u8) {
        const NAMED: [(u8, u8, u8); 16] = [
            (0, 0, 0),
            (205, 0, 0),
            (0, 205, 0),
            (205, 205, 0),
            (0, 0, 238),
            (205, 0, 205),
            (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127),
            (255, 0, 0),
            (0, 255, 0),
            (255, 255, 0),
            (92, 92, 255),
            (255, 0, 255),
            (0, 255, 255),
            (255, 255, 255),
        ];
        let index = match color {
            Color::Reset => return rgb(reset, Color::Black),
            Color::Rgb(r, g, b) => return (r, g, b),
            Color::Indexed(i) => i,
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            Color::White => 15,
        };
        match index {
            0..16 => NAMED[index as usize],
            16..232 => {
                let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
                let n = index - 16;
                (level(n / 36), level(n / 6 % 6), level(n % 6))
            }
            _ => {
                let grey = 8 + 10 * (index - 232);
                (grey, grey, grey)
            }
        }
    }

    fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The WCAG contrast ratio of two colours.
    fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// Roles the contrast check leaves out: the border is no text, and
    /// the log view's roles do not pass in every theme yet (the light
    /// theme's `level_warn` reads at 1.7).
    const UNCHECKED: &[Role] = &[
        Role::Border,
        Role::SearchMatch,
        Role::SearchCurrent,
        Role::LevelError,
        Role::LevelWarn,
        Role::LevelInfo,
        Role::LevelDebug,
        Role::LevelTrace,
        Role::Message,
        Role::FieldKey,
        Role::Separator,
    ];

    fn text_roles(theme: &Theme) -> Vec<(&'static str, Style)> {
        let mut roles: Vec<(&'static str, Style)> = Role::ALL
            .iter()
            .filter(|role| !UNCHECKED.contains(role))
            .map(|role| (role.name(), theme.style(*role)))
            .collect();
        roles.extend(
            theme
                .log_prefixes
                .iter()
                .map(|c| ("log prefix", Style::new().fg(*c))),
        );
        roles
    }

    #[test]
    fn every_shipped_theme_reads_at_wcag_aa() {
        let mut failures = Vec::new();
        for name in names() {
            let theme = Theme::named(name).unwrap();
            for (role, style) in text_roles(&theme) {
                let fg = rgb(style.fg.unwrap_or(Color::Reset), theme.foreground);
                let bg = rgb(style.bg.unwrap_or(Color::Reset), theme.background);
                let ratio = contrast(fg, bg);
                if ratio < 4.5 {
                    failures.push(format!("{name}: {role} {ratio:.2}"));
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5: {failures:#?}");
    }

    #[test]
    fn contrast_is_computed_as_wcag_says() {
        let ratio = contrast((0, 0, 0), (255, 255, 255));
        assert!((ratio - 21.0).abs() < 0.01, "{ratio}");
        assert!((contrast((118, 118, 118), (255, 255, 255)) - 4.54).abs() < 0.01);
    }

    #[test]
    fn the_16_colour_theme_uses_only_the_16_colours() {
        let theme = Theme::named("ansi-16").unwrap();
        let basic = |c: Option<Color>| !matches!(c, Some(Color::Rgb(..) | Color::Indexed(_)));
        for (role, style) in text_roles(&theme) {
            assert!(basic(style.fg) && basic(style.bg), "{role}: {style:?}");
        }
        assert!(basic(Some(theme.border.fg.unwrap_or(Color::Reset))));
    }
}
