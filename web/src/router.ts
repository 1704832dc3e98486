import { useEffect, useState } from 'react';

interface Location {
  path: string[];
  query: URLSearchParams;
}

function read(): Location {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = hash.split('?');
  return { path: path.split('/').filter(Boolean), query: new URLSearchParams(search) };
}

/**
 * Hash routing: `#/contacts/lead_…?status=new` → path ['contacts', 'lead_…'] and its query. Keeps
 * the server's `/` a single file.
 */
export function useLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const onChange = () => setLocation(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}

export function navigate(path: string): void {
  window.location.hash = `#/${path}`;
}
