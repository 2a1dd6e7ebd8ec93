//! Bearer tokens for the write and admin routes. When `JWT_SECRET` is set, those routes
//! need `Authorization: Bearer <JWT>` signed with it (HS256) and not expired; missing,
//! malformed, wrongly signed and expired tokens get 401. Reads stay open.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};

use super::error::ApiError;
use super::state::AppState;

/// The token check, built once from the secret.
#[derive(Clone)]
pub struct Auth {
    key: DecodingKey,
    validation: Validation,
}

/// The claims we read; `exp` is required (a token that never expires is refused, by
/// the validation, which names the missing claim).
#[derive(Debug, serde::Deserialize)]
struct Claims {
    // Optional here so that a token without it is reported by the validation, which
    // names the missing claim (it requires `exp`).
    exp: Option<u64>,
}

impl Auth {
    /// HS256 with `secret`; `exp` required, `nbf` honoured when present, no leeway.
    pub fn new(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp"]);
        Self { key: DecodingKey::from_secret(secret.as_bytes()), validation }
    }

    /// Checks a bearer token.
    pub fn check(&self, token: &str) -> Result<(), String> {
        self.expiry(token).map(|_| ())
    }

    /// Checks a token and returns when it expires (Unix s): a WebSocket session ends then.
    pub fn expiry(&self, token: &str) -> Result<u64, String> {
        decode::<Claims>(token, &self.key, &self.validation).map(|data| data.claims.exp.unwrap_or_default()).map_err(
            |e| {
                use jsonwebtoken::errors::ErrorKind;
                match e.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired".to_string(),
                    ErrorKind::ImmatureSignature => "the token is not valid yet (`nbf`)".to_string(),
                    ErrorKind::InvalidSignature => "the token's signature is not valid".to_string(),
                    ErrorKind::MissingRequiredClaim(c) => format!("the token has no `{c}` claim"),
                    ErrorKind::InvalidAlgorithm => "the token must be signed with HS256".to_string(),
                    _ => "the token is malformed".to_string(),
                }
            },
        )
    }
}

/// The token of an `Authorization: Bearer <token>` header: `None` without the header,
/// an error when it is not of that form.
pub fn bearer(headers: &HeaderMap) -> Result<Option<&str>, String> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    match value.to_str().ok().and_then(|h| h.split_once(' ')) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim()))
        }
        _ => Err("the Authorization header must be `Bearer <token>`".to_string()),
    }
}

/// Middleware of the write and admin routes.
pub async fn require(State(state): State<AppState>, request: Request, next: Next) -> Result<Response, ApiError> {
    let Some(auth) = &state.auth else { return Ok(next.run(request).await) };
    let verdict = match bearer(request.headers()) {
        Ok(Some(token)) => auth.check(token),
        Ok(None) => Err("this route needs a bearer token".to_string()),
        Err(why) => Err(why),
    };
    match verdict {
        Ok(()) => Ok(next.run(request).await),
        Err(why) => {
            // Read the body the client sent (bounded) so the connection stays usable
            // for its next request.
            let _ = axum::body::to_bytes(request.into_body(), super::extract::BODY_LIMIT).await;
            Err(ApiError::Unauthorized(why))
        }
    }
}
