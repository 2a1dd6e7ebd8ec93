//! `rediss://` against a real TLS redis-server whose certificate a throw-away CA signed
//! (made here with the `openssl` command), trusted through `REDIS_TLS_CA_CERT`: the
//! commands that use Redis work over it, and an untrusted certificate degrades with a
//! warning naming TLS instead of panicking.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{json_of, mystocks, stderr, stdout};

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl is installed");
    assert!(o.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// A CA, and a server certificate for 127.0.0.1 and localhost signed by it.
fn certificates(dir: &Path) {
    let ca = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2"];
    openssl(dir, &[&ca[..], &["-subj", "/CN=mystocks test CA"]].concat());
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
    let csr = ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr"];
    openssl(dir, &[&csr[..], &["-subj", "/CN=localhost"]].concat());
    let sign = ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial"];
    openssl(dir, &[&sign[..], &["-out", "server.crt", "-days", "2", "-extfile", "ext.cnf"]].concat());
}

struct TlsRedis(Child);

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tls_redis(dir: &Path) -> (TlsRedis, u16) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("redis-server")
        .args(["--port", "0", "--tls-port", &port.to_string(), "--bind", "127.0.0.1", "--save", ""])
        .args(["--tls-cert-file", "server.crt", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.crt"])
        .args(["--tls-auth-clients", "no", "--dir"])
        .arg(dir)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server runs");
    // Readiness of another process can only be observed by asking it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "TLS redis-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    (TlsRedis(child), port)
}

#[test]
fn rediss_works_with_a_private_ca_and_degrades_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    certificates(d);
    let (_server, port) = tls_redis(d);
    let db = format!("sqlite://{}/t.db", d.display());
    assert!(mystocks(d, &db, &[], &["demo-data", "--symbols", "3", "--days", "60"]).status.success());
    let url = format!("rediss://127.0.0.1:{port}/0");
    let ca = d.join("ca.crt").display().to_string();
    let env = [("REDIS_URL", url.as_str()), ("REDIS_TLS_CA_CERT", ca.as_str())];
    let first = json_of(d, &db, &env, &["indicator", "000001", "MACD"]);
    assert_eq!(first["source"], "computed");
    let again = json_of(d, &db, &env, &["indicator", "000001", "MACD"]);
    assert_eq!(again["source"], "l2", "the value went to Redis over TLS and came back");
    let report = json_of(d, &db, &env, &["daily", "--json"]);
    assert_eq!((report["mode"].as_str(), report["processed"].as_u64()), (Some("distributed"), Some(3)));
    let o = mystocks(d, &db, &env, &["worker", "--exit-when-idle", "0.3"]);
    assert!(o.status.success() && stdout(&o).contains("stopped: 0 symbols"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("WARN"), "{}", stderr(&o));
    // The same with REDIS_USE_SSL and the parts.
    let port_text = port.to_string();
    let parts = [
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", port_text.as_str()),
        ("REDIS_USE_SSL", "true"),
        ("REDIS_TLS_CA_CERT", ca.as_str()),
    ];
    assert_eq!(json_of(d, &db, &parts, &["indicator", "000001", "MACD"])["source"], "l2");
    // Without the CA the certificate is not trusted: a warning naming TLS, and the
    // answer from the store. No panic.
    let o = mystocks(d, &db, &[("REDIS_URL", &url)], &["indicator", "000001", "MACD"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("TLS failed") && !stderr(&o).contains("panicked"), "{}", stderr(&o));
}
