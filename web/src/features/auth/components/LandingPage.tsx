import { Link } from 'react-router';
import { useSignedIn } from '@/lib/session';

const FEATURES = [
  { icon: '👀', title: 'Shop side by side', text: 'See what everyone is looking at, live. Follow Mum as she browses and open what she opens.' },
  { icon: '❤️', title: 'Like, vote, decide', text: 'Thumbs up or down, comments and a family poll, so the choice is made together.' },
  { icon: '🛒', title: 'One family cart', text: 'Everyone adds to one cart, marked with who it is for, with totals that add up.' },
  { icon: '🎁', title: 'Secret mode', text: 'Shopping for a birthday? Hide what you do from the person it is for. No trace, no spoilers.' },
  { icon: '✨', title: 'Picks for the family', text: 'Recommendations that learn from what the room likes, updated as you shop.' },
  { icon: '🧳', title: 'Trip packing lists', text: 'Tell us where and when; get a packing list for each traveller, ready to add to the cart.' },
];

export function LandingPage() {
  const signedIn = useSignedIn();
  return (
    <main className="landing">
      <section className="hero">
        <div className="hero-text">
          <p className="eyebrow">Family Room</p>
          <h1>Shop together, even when you are apart.</h1>
          <p className="lead">A shared room for your family: browse the same shop, react in real time, fill one cart, and keep gifts secret from the person they are for.</p>
          <div className="hero-cta">
            {signedIn ? (
              <Link className="btn btn-primary" to="/rooms">
                Go to your rooms
              </Link>
            ) : (
              <>
                <Link className="btn btn-primary" to="/sign-up">
                  Create a family room
                </Link>
                <Link className="btn btn-secondary" to="/sign-in">
                  Sign in
                </Link>
              </>
            )}
          </div>
        </div>
        <div className="hero-art" aria-hidden="true">
          <div className="hero-bubble b1">Asha liked the blue kurta</div>
          <div className="hero-bubble b2">👍 3 · 👎 1</div>
          <div className="hero-bubble b3">🎁 Secret mode is on</div>
          <img src="/pwa-512.png" alt="" width="220" height="220" />
        </div>
      </section>
      <section className="feature-grid" aria-label="What you can do">
        {FEATURES.map((f) => (
          <article className="card feature" key={f.title}>
            <div className="feature-icon" aria-hidden="true">
              {f.icon}
            </div>
            <h2>{f.title}</h2>
            <p>{f.text}</p>
          </article>
        ))}
      </section>
    </main>
  );
}
