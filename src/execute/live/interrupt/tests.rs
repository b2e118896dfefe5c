use super::*;

#[test]
fn first_raise_wins_and_wakes_waiters() {
    let flag = Interrupt::new();
    assert_eq!(flag.code(), None);
    let waiter = flag.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let code = rt.block_on(async move {
        let wait = tokio::spawn(async move { waiter.raised().await });
        tokio::task::yield_now().await;
        flag.raise(143);
        flag.raise(130);
        wait.await.unwrap()
    });
    assert_eq!(code, 143);
    assert_eq!(Interrupt::signal_name(130), "SIGINT");
}
