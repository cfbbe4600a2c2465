//! Colours by role, loaded from TOML.
//!
//! `themes/default.toml` is compiled in; a user theme given with `--theme`
//! is merged over it, role by role, so it only names what it changes.
//! Views ask for a role (`theme.error`), never for a colour.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, Result, anyhow};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::config::toml_error;

pub const DEFAULT_THEME: &str = include_str!("../themes/default.toml");

/// Every role a view may use.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub text: Style,
    pub muted: Style,
    pub title: Style,
    pub border: Style,
    pub header: Style,
    pub selection: Style,
    pub project: Style,
    pub healthy: Style,
    pub warning: Style,
    pub error: Style,
    pub info: Style,
    pub key: Style,
    pub banner: Style,
    pub status: Style,
    pub filter: Style,
    pub gauge: Style,
    pub stderr: Style,
    pub timestamp: Style,
    /// Search matches in log lines, and the current one.
    pub search_match: Style,
    pub search_current: Style,
    /// Level words and values in log lines, by level.
    pub level_error: Style,
    pub level_warn: Style,
    pub level_info: Style,
    pub level_debug: Style,
    pub level_trace: Style,
    /// The message of a structured (JSON) log line, and its field names.
    pub message: Style,
    pub field_key: Style,
    /// The line stacktop puts between two runs of a container.
    pub separator: Style,
    /// Colours of service prefixes in merged logs, used in turn.
    pub log_prefixes: Vec<Color>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
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
        // The compiled-in theme is tested to parse; failing here is a bug.
        Self::parse(DEFAULT_THEME, None).expect("built-in theme is valid")
    }
}

impl Theme {
    /// The built-in theme with the file at `path` merged over it.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading theme {}", path.display()))?;
        Self::parse(&text, Some(path))
    }

    /// Parses `text` over the built-in theme; `origin` names it in errors.
    pub fn parse(text: &str, origin: Option<&Path>) -> Result<Self> {
        let name = origin.map_or("built-in theme".to_string(), |p| p.display().to_string());
        let user: ThemeFile = toml::from_str(text).map_err(|e| toml_error(&name, text, &e))?;
        let mut merged: ThemeFile = toml::from_str(DEFAULT_THEME)
            .map_err(|e| toml_error("built-in theme", DEFAULT_THEME, &e))?;
        merged.roles.extend(user.roles);
        if user.log.prefixes.is_some() {
            merged.log.prefixes = user.log.prefixes;
        }
        build(&merged).with_context(|| format!("in {name}"))
    }
}

fn build(file: &ThemeFile) -> Result<Theme> {
    let role = |name: &str| -> Result<Style> {
        let style = file
            .roles
            .get(name)
            .ok_or_else(|| anyhow!("role `{name}` is missing"))?;
        to_style(style).with_context(|| format!("role `{name}`"))
    };
    let known = ROLES;
    if let Some(unknown) = file.roles.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(anyhow!(
            "unknown role `{unknown}`; expected one of: {}",
            known.join(", ")
        ));
    }
    let prefixes = file.log.prefixes.clone().unwrap_or_default();
    Ok(Theme {
        text: role("text")?,
        muted: role("muted")?,
        title: role("title")?,
        border: role("border")?,
        header: role("header")?,
        selection: role("selection")?,
        project: role("project")?,
        healthy: role("healthy")?,
        warning: role("warning")?,
        error: role("error")?,
        info: role("info")?,
        key: role("key")?,
        banner: role("banner")?,
        status: role("status")?,
        filter: role("filter")?,
        gauge: role("gauge")?,
        stderr: role("stderr")?,
        timestamp: role("timestamp")?,
        search_match: role("match")?,
        search_current: role("match_current")?,
        level_error: role("level_error")?,
        level_warn: role("level_warn")?,
        level_info: role("level_info")?,
        level_debug: role("level_debug")?,
        level_trace: role("level_trace")?,
        message: role("message")?,
        field_key: role("field_key")?,
        separator: role("separator")?,
        log_prefixes: prefixes
            .iter()
            .map(|c| parse_color(c))
            .collect::<Result<_>>()
            .context("[log] prefixes")?,
    })
}

const ROLES: &[&str] = &[
    "text",
    "muted",
    "title",
    "border",
    "header",
    "selection",
    "project",
    "healthy",
    "warning",
    "error",
    "info",
    "key",
    "banner",
    "status",
    "filter",
    "gauge",
    "stderr",
    "timestamp",
    "match",
    "match_current",
    "level_error",
    "level_warn",
    "level_info",
    "level_debug",
    "level_trace",
    "message",
    "field_key",
    "separator",
];

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
    fn built_in_theme_parses() {
        let theme = Theme::default();
        assert_eq!(theme.selection.bg, Some(Color::Cyan));
        assert!(!theme.log_prefixes.is_empty());
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
}
