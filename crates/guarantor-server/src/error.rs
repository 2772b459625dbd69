//! The API's one error shape, `{"error": {"code", "message", "details"?}}`, with a stable `code`; a failure
//! inside the server is `internal`, logged, and says nothing of its cause to the client.

use axum::Json;
use axum::extract::rejection::{
    BytesRejection, FormRejection, JsonRejection, QueryRejection, StringRejection,
};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::BODY_LIMIT;

/// An API error: a status, a stable code, a message for the client and, for some, details (the diagnostics
/// of a rejected edit).
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) details: Option<Box<Value>>,
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub(crate) fn with_details(mut self, details: Value) -> ApiError {
        self.details = Some(Box::new(details));
        self
    }

    /// A failure inside the server: logged on stderr, never shown to the client.
    pub(crate) fn internal(cause: impl std::fmt::Display) -> ApiError {
        eprintln!("guarantor serve: internal error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; the cause is in its log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(details) = self.details {
            error["details"] = *details;
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(seconds) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request("bad_query", r.body_text())
    }
}

fn too_large() -> String {
    format!("the body is over {BODY_LIMIT} bytes: send it in smaller batches")
}

/// A body the extractor refused, as `status` with axum's `text`: `too_large` (413), `bad_content_type` (415,
/// the body not of the type the endpoint takes) or `bad_body`.
fn refused_body(status: StatusCode, text: String) -> ApiError {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(status, "too_large", too_large()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(status, "bad_content_type", text),
        _ => ApiError::new(status, "bad_body", text),
    }
}

impl From<StringRejection> for ApiError {
    fn from(r: StringRejection) -> ApiError {
        refused_body(r.status(), r.body_text())
    }
}

impl From<BytesRejection> for ApiError {
    fn from(r: BytesRejection) -> ApiError {
        refused_body(r.status(), r.body_text())
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> ApiError {
        refused_body(r.status(), r.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        // A body that is not the JSON asked for is a bad request, whatever axum's finer status.
        let status = match r.status() {
            s @ (StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNSUPPORTED_MEDIA_TYPE) => s,
            _ => StatusCode::BAD_REQUEST,
        };
        refused_body(status, r.body_text())
    }
}

/// A JSON answer or an error.
pub(crate) type ApiResult = Result<Json<Value>, ApiError>;

/// `v` as a JSON answer.
pub(crate) fn to_value(v: &impl serde::Serialize) -> ApiResult {
    serde_json::to_value(v)
        .map(Json)
        .map_err(ApiError::internal)
}
