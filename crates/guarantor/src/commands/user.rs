//! `guarantor user ...`: the server's accounts, kept in its database.

use anyhow::Context;

use super::{Outcome, cli_actor, to_json};
use crate::args::{Database, UserCommand};

/// A password from standard input: one line, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .context("cannot read the password from standard input")?;
    Ok(password.trim_end_matches(['\r', '\n']).to_owned())
}

/// `guarantor user ...`.
pub(crate) fn user(
    database: &Database,
    command: UserCommand,
    json: bool,
) -> anyhow::Result<Outcome> {
    let (mut store, shown) = database.open(None)?;
    let now = jiff::Timestamp::now();
    let stdout = match command {
        UserCommand::Add { name, role, nation } => {
            let role = guarantor_app::Role::parse(&role, nation.as_deref())
                .map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let password = read_password()?;
            guarantor_app::put_user(&mut *store, &name, &role, &password, &cli_actor(), now)?;
            format!("user {name} ({}) stored in {shown}\n", role.name())
        }
        UserCommand::Enable { name } => {
            guarantor_app::enable_user(&mut *store, &name, &cli_actor(), now)?;
            format!("user {name} enabled in {shown} (its old tokens and sessions stay revoked)\n")
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            guarantor_app::set_password(&mut *store, &name, &password, &cli_actor(), now)?;
            format!("password of {name} set in {shown}; its tokens and sessions are revoked\n")
        }
        UserCommand::Revoke { name, label } => {
            let n = guarantor_app::revoke_token(&mut *store, &name, &label, &cli_actor(), now)?;
            format!("{n} token(s) of {name} labelled {label:?} revoked in {shown}\n")
        }
        UserCommand::LogoutAll { name } => {
            let n = guarantor_app::logout_all(&mut *store, &name, &cli_actor(), now)?;
            format!("{n} session(s) of {name} ended in {shown}\n")
        }
        UserCommand::Token { name, label } => {
            let token = guarantor_app::new_token(&mut *store, &name, &label, &cli_actor(), now)?;
            format!("{token}\n")
        }
        UserCommand::Disable { name } => {
            guarantor_app::disable_user(&mut *store, &name, &cli_actor(), now)?;
            format!("user {name} disabled in {shown}\n")
        }
        UserCommand::List => {
            let users = guarantor_app::users(&*store)?;
            if json {
                to_json(&users)?
            } else {
                users
                    .iter()
                    .map(|u| {
                        format!(
                            "{}\t{}{}{}\n",
                            u.name,
                            u.role,
                            u.nation
                                .as_deref()
                                .map(|n| format!(" {n}"))
                                .unwrap_or_default(),
                            if u.disabled { " (disabled)" } else { "" }
                        )
                    })
                    .collect()
            }
        }
    };
    Ok(Outcome::ok(stdout))
}
