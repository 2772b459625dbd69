//! Source links as evidence: two reports that cite the same post are two readings of one account.
//!
//! Links are compared as keys, not as written: the scheme, `www.`/`m.`/`mobile.`, the fragment, a trailing
//! slash and the query string are dropped (except the `v`, `fbid`, `story_fbid` and `id` parameters that name a
//! YouTube or Facebook item); `x.com` and `twitter.com` are one host and a tweet is its status id; Telegram's
//! `t.me/s/` preview is the post itself. Empty links and the placeholders sources write where a link is withheld
//! ("HIDDEN", "Access can be requested", a `frommypc` pseudo-host, a bare Facebook `photo.php`) are no link.

/// The comparable key of a source link, or `None` when it is no link at all (see the module's documentation).
pub fn link_key(link: &str) -> Option<String> {
    let link = link.trim();
    let lower = link.to_ascii_lowercase();
    let known_start = ["http://", "https://", "www.", "t.me", "twitter", "x.com"];
    if !known_start.iter().any(|s| lower.starts_with(s)) {
        return None;
    }
    let mut rest = link;
    for scheme in ["https://", "http://"] {
        if lower.starts_with(scheme) {
            rest = &link[scheme.len()..];
            break;
        }
    }
    for sub in ["www.", "mobile.", "m."] {
        if rest.len() >= sub.len() && rest[..sub.len()].eq_ignore_ascii_case(sub) {
            rest = &rest[sub.len()..];
            break;
        }
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let rest = rest.trim_end_matches('/');
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut host = host.to_ascii_lowercase();
    let mut path = path.to_owned();
    if host.contains("frommypc") || host.contains("fromtheprivatechannel") {
        return None;
    }
    if matches!(
        host.as_str(),
        "youtube.com" | "facebook.com" | "web.facebook.com"
    ) {
        if host == "web.facebook.com" {
            host = "facebook.com".to_owned();
        }
        let mut keep: Vec<&str> = query
            .split('&')
            .filter(|p| {
                let name = p.split('=').next().unwrap_or_default();
                matches!(name, "v" | "fbid" | "story_fbid" | "id")
            })
            .collect();
        keep.sort_unstable();
        if !keep.is_empty() {
            path = format!("{path}?{}", keep.join("&"));
        } else if matches!(
            path.as_str(),
            "watch" | "photo" | "permalink.php" | "story.php" | "photo.php"
        ) {
            return None;
        }
    }
    if matches!(host.as_str(), "x.com" | "twitter.com") {
        host = "twitter.com".to_owned();
        let parts: Vec<&str> = path.split('/').collect();
        path = match parts.as_slice() {
            [_, "status" | "statuses", id, ..] if id.bytes().all(|b| b.is_ascii_digit()) => {
                format!("status/{id}")
            }
            _ => path.to_lowercase(),
        };
    }
    if host == "t.me"
        && let Some(post) = path.strip_prefix("s/")
    {
        path = post.to_owned();
    }
    if path.is_empty() {
        return None;
    }
    Some(format!("{host}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::link_key;

    #[test]
    fn one_post_written_several_ways_is_one_key() {
        let tweet = link_key("https://twitter.com/MotolkoHelp/status/1484436102295523329?s=20");
        assert_eq!(
            tweet.as_deref(),
            Some("twitter.com/status/1484436102295523329")
        );
        assert_eq!(
            link_key("https://x.com/other_name/status/1484436102295523329/photo/1"),
            tweet
        );
        assert_eq!(
            link_key("https://t.me/s/kharkiv_news/123/"),
            link_key("http://www.t.me/kharkiv_news/123#top")
        );
        assert_eq!(
            link_key("https://www.youtube.com/watch?v=abc&t=10"),
            link_key("https://m.youtube.com/watch?t=99&v=abc")
        );
    }

    #[test]
    fn placeholders_are_no_link() {
        for none in [
            "",
            "HIDDEN",
            "Access can be requested",
            "https://frommypc.example/1",
            "https://www.facebook.com/photo.php",
            "https://t.me/",
        ] {
            assert_eq!(link_key(none), None, "{none:?}");
        }
        assert_ne!(link_key("https://t.me/a/1"), link_key("https://t.me/a/2"));
    }
}
